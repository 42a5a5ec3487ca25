package org.imsmooth.im;

import org.imsmooth.im.api.ImApi;
import org.imsmooth.im.api.ImEnvelope;
import org.imsmooth.im.api.account.AccountCheckRequest;
import org.imsmooth.im.api.account.AccountCheckResult;
import org.imsmooth.im.api.account.AccountImportRequest;
import org.imsmooth.im.api.account.MultiAccountImportRequest;
import org.imsmooth.im.api.account.MultiAccountImportResult;

/**
 * Account import and check (im_open_login_svc). Bean {@code imAccounts}; each method takes the
 * typed request as the Camel body.
 */
public class ImAccounts {

    private final ImTransport transport;

    public ImAccounts(ImTransport transport) {
        this.transport = transport;
    }

    /** Batch import (<= 100); ids IM refused are in {@code failedItems()}. */
    public MultiAccountImportResult multiaccountImport(MultiAccountImportRequest request) {
        return transport.call(ImApi.MULTIACCOUNT_IMPORT, request, MultiAccountImportResult.class);
    }

    /** Single import; idempotent on IM's side. */
    public ImEnvelope accountImport(AccountImportRequest request) {
        return transport.call(ImApi.ACCOUNT_IMPORT, request);
    }

    public AccountCheckResult accountCheck(AccountCheckRequest request) {
        return transport.call(ImApi.ACCOUNT_CHECK, request, AccountCheckResult.class);
    }
}
