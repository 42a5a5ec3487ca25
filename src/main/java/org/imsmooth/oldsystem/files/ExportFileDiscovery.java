package org.imsmooth.oldsystem.files;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.support.service.ServiceSupport;
import org.imsmooth.state.ExportFilesFound;
import org.imsmooth.state.ExportFilesRead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The export's files as Camel's file component finds them (docs/files.md "Files added later"): per
 * kind a route {@code export-files-<kind>} polls the export directory ({@code noop=true}: nothing is
 * moved or written there), recursively, with the kind's glob as its filter and the changed read lock
 * (a file is taken once its last change is {@code oldsystem.files.watch.stable-age} old, so a file
 * still being copied in is left for a later poll), and records each complete file once in the state
 * database ({@code export_file_found}, its idempotent repository, shared by every instance). The
 * kind's reader ({@link ExportFileReader}) reads the recorded files in name order, streamed, from its
 * durable cursor. For a {@code .zip} export the route watches the zip file and records its entries.
 * <p>
 * A file found that its stage has not read is announced to the listeners ({@link #whenMoreToRead}):
 * the import orchestrator reads a stage again when such a file arrives after the stage read everything.
 */
@Component
@ConditionalOnProperty(name = "oldsystem.kind", havingValue = "files")
public class ExportFileDiscovery extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ExportFileDiscovery.class);

    private final ExportFilesProperties properties;
    private final ExportFilesFound found;
    private final ExportFilesRead read;
    private final Duration delay;
    private final Duration stableAge;
    private final Duration pollTimeout;
    private final Map<String, Polls> polls = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public ExportFileDiscovery(ExportFilesProperties properties, ExportFilesFound found, ExportFilesRead read,
                               @Value("${oldsystem.files.watch.delay:1s}") Duration delay,
                               @Value("${oldsystem.files.watch.stable-age:5s}") Duration stableAge,
                               @Value("${oldsystem.files.watch.poll-timeout:2m}") Duration pollTimeout) {
        this.properties = properties;
        this.found = found;
        this.read = read;
        this.delay = delay;
        this.stableAge = stableAge;
        this.pollTimeout = pollTimeout;
    }

    /** Called with a stage's name when a file of its appears that the stage has not read to its end. */
    public void whenMoreToRead(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** The kind's files found so far (paths relative to the export, '/'-separated), in name order. */
    List<String> files(String kind) {
        return found.files(kind);
    }

    /**
     * Returns once the kind's file consumer has finished a poll that began after this call: every
     * complete file in the export by then is in {@link #files}.
     */
    void awaitFreshPoll(String kind) {
        Polls kindPolls = polls.get(kind);
        if (kindPolls == null) {
            throw new IllegalStateException("no export file route for '" + kind + "' (oldsystem.files.kinds." + kind + ")");
        }
        kindPolls.awaitFresh(pollTimeout);
    }

    /** The kind's polls begun so far: {@link #polledSince} tells once a poll begun after them is done (0 for a kind with no files). */
    long pollMark(String kind) {
        Polls kindPolls = polls.get(kind);
        return kindPolls == null ? 0 : kindPolls.begun();
    }

    /** Whether the kind's file consumer completed a poll begun after {@code mark}, every file it found recorded and announced. */
    boolean polledSince(String kind, long mark) {
        Polls kindPolls = polls.get(kind);
        return kindPolls == null || kindPolls.doneSince(mark);
    }

    /** Returns once the kind's file consumer has completed a poll (at once after its first). */
    void awaitFirstPoll(String kind) {
        Polls kindPolls = polls.get(kind);
        if (kindPolls == null) {
            throw new IllegalStateException("no export file route for '" + kind + "' (oldsystem.files.kinds." + kind + ")");
        }
        kindPolls.awaitDone(1, pollTimeout);
    }

    @Override
    public void configure() {
        if (properties.dir() == null || properties.dir().isBlank()) {
            throw new IllegalStateException("oldsystem.files.dir (OLD_SYSTEM_FILES) is not set: the directory or .zip of the export");
        }
        Path root = Path.of(properties.dir()).toAbsolutePath().normalize();
        boolean zip = root.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip") && !Files.isDirectory(root);
        String readLock = "&readLock=changed&readLockMarkerFile=false&readLockDeleteOrphanLockFiles=false&readLockMinLength=0"
                + "&readLockMinAge=" + stableAge.toMillis() + "&readLockCheckInterval=" + Math.max(100, Math.min(1000, stableAge.toMillis() / 2))
                + "&readLockTimeout=" + (stableAge.toMillis() + 5000) + "&readLockLoggingLevel=DEBUG";
        for (Map.Entry<String, ExportFilesProperties.Kind> entry : properties.kinds().entrySet()) {
            String kind = entry.getKey();
            String glob = entry.getValue().files();
            if (glob == null || glob.isBlank()) {
                continue; // ExportFileReader.check says what is missing
            }
            Polls kindPolls = new Polls("export-files-" + kind);
            polls.put(kind, kindPolls);
            bindToRegistry("exportFilesPolls-" + kind, kindPolls);
            String common = "&noop=true&autoCreate=false&delay=" + delay.toMillis() + "&initialDelay=0&pollStrategy=#exportFilesPolls-" + kind
                    + readLock;
            if (zip) {
                // one file: its entries are recorded once it is complete
                from("file:" + root.getParent() + "?fileName=" + root.getFileName() + common)
                        .routeId("export-files-" + kind)
                        .process(exchange -> {
                            ExportFiles export = new ExportFiles(root);
                            export.list(glob).forEach(name -> record(kind, name));
                        });
            } else {
                bindToRegistry("exportFilesGlob-" + kind, new GlobFilter(glob));
                bindToRegistry("exportFilesFound-" + kind, new FoundRepository(kind));
                from("file:" + root + "?recursive=true&sortBy=file:name&filter=#exportFilesGlob-" + kind
                        + "&idempotentRepository=#exportFilesFound-" + kind + "&idempotentKey=${file:name}&idempotentEager=false" + common)
                        .routeId("export-files-" + kind)
                        .process(exchange -> record(kind, relative(exchange.getIn().getHeader(Exchange.FILE_NAME, String.class))));
            }
        }
    }

    private static String relative(String name) {
        return name.replace('\\', '/');
    }

    /** Records a complete file; announces it when its stage has not read it. */
    private void record(String kind, String file) {
        if (found.add(kind, file)) {
            LOG.info("{}: found {} in the export", kind, file);
        }
        if (!read.isFinished(kind, file)) {
            announce(kind);
        }
    }

    private void announce(String kind) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(kind);
            } catch (RuntimeException e) {
                LOG.warn("{}: a listener failed on a new export file: {}", kind, e.toString());
            }
        }
    }

    /** The kind's glob, as the reader applies it to paths relative to the export; directories pass (recursive). */
    static final class GlobFilter implements GenericFileFilter<Object> {
        private final PathMatcher matcher;
        private final String glob;

        GlobFilter(String glob) {
            this.glob = glob;
            this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        }

        @Override
        public boolean accept(GenericFile<Object> file) {
            return file.isDirectory() || matcher.matches(Path.of(relative(file.getRelativeFilePath())));
        }

        @Override
        public String toString() {
            return "glob:" + glob;
        }
    }

    /**
     * The file consumer's idempotent repository for a kind: {@code export_file_found}, cached per
     * instance (the consumer asks for every file on every poll). A file another instance recorded is
     * announced here too, when first seen, so that any instance running the import reads it.
     */
    final class FoundRepository extends ServiceSupport implements IdempotentRepository {
        private final String kind;
        private final Set<String> known = ConcurrentHashMap.newKeySet();

        FoundRepository(String kind) {
            this.kind = kind;
        }

        @Override
        public boolean contains(String key) {
            String file = relative(key);
            if (known.contains(file)) {
                return true;
            }
            if (found.contains(kind, file)) {
                known.add(file);
                if (!read.isFinished(kind, file)) {
                    announce(kind);
                }
                return true;
            }
            return false;
        }

        @Override
        public boolean add(String key) {
            // recorded by the route (record) before the consumer commits the file here
            return known.add(relative(key));
        }

        @Override
        public boolean remove(String key) {
            // a file whose recording failed: tried again at the next poll
            return known.remove(relative(key));
        }

        @Override
        public boolean confirm(String key) {
            return true;
        }

        @Override
        public void clear() {
            known.clear();
        }
    }

    /** Counts the kind's polls, so a reader can wait for one that began after it ran out of files. */
    static final class Polls implements PollingConsumerPollStrategy {
        private final String route;
        private long begun;
        private long done;
        private Exception lastError;

        Polls(String route) {
            this.route = route;
        }

        @Override
        public synchronized boolean begin(org.apache.camel.Consumer consumer, Endpoint endpoint) {
            begun++;
            return true;
        }

        @Override
        public synchronized void commit(org.apache.camel.Consumer consumer, Endpoint endpoint, int polledMessages) {
            done = begun;
            lastError = null;
            notifyAll();
        }

        @Override
        public synchronized boolean rollback(org.apache.camel.Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
            lastError = cause;
            LOG.warn("{}: listing the export failed: {}", route, cause.toString());
            notifyAll();
            return false;
        }

        synchronized long begun() {
            return begun;
        }

        synchronized boolean doneSince(long mark) {
            return done > mark;
        }

        synchronized void awaitFresh(Duration timeout) {
            awaitDone(begun + 1, timeout);
        }

        synchronized void awaitDone(long need, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (done < need) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(route + " (Camel's file consumer of the export) has not completed a poll in "
                            + timeout + (lastError == null ? " (is the route stopped?)" : ": " + lastError.getMessage()));
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(route + ": interrupted while waiting for a poll of the export", e);
                }
            }
        }
    }
}
