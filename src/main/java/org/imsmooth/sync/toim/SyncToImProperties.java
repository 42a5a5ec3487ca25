package org.imsmooth.sync.toim;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sending old-system changes to IM.
 *
 * @param c2cApi      {@code sendmsg} (default) or {@code importmsg} (live mode, SyncFromOldSystem 5)
 * @param awaitImport live changes wait (durably, in order) until the import stage of their kind is done
 *                    (c2c-messages for C2C, group-messages for everything about groups)
 */
@ConfigurationProperties("sync-to-im")
public record SyncToImProperties(@DefaultValue("sendmsg") String c2cApi, @DefaultValue("true") boolean awaitImport) {

    public boolean liveImport() {
        return "importmsg".equalsIgnoreCase(c2cApi);
    }
}
