package org.imsmooth.oldsystem.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The export as files: a directory (walked) or a zip (its entries), listed afresh on every call so
 * that files added later are seen, filtered by a kind's glob and opened as streams from a byte offset.
 */
final class ExportFiles {

    private final Path root;

    ExportFiles(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    boolean exists() {
        return Files.isDirectory(root) || isZip();
    }

    private boolean isZip() {
        return Files.isRegularFile(root) && root.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip");
    }

    /** The files (paths relative to the export, '/'-separated) the glob matches, in name order. */
    List<String> list(String glob) {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        List<String> names = new ArrayList<>();
        try {
            if (isZip()) {
                try (ZipFile zip = new ZipFile(root.toFile())) {
                    zip.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName)
                            .filter(name -> matcher.matches(Path.of(name))).forEach(names::add);
                }
            } else if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                            .filter(name -> matcher.matches(Path.of(name))).forEach(names::add);
                }
            } else {
                throw new IllegalStateException("The export " + root.toAbsolutePath() + " is neither a directory nor a .zip file");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the export " + root.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        Collections.sort(names);
        return names;
    }

    /** The file's bytes from {@code offset} on (a zip entry is inflated and skipped up to it). */
    InputStream open(String name, long offset) throws IOException {
        if (isZip()) {
            ZipFile zip = new ZipFile(root.toFile());
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                zip.close();
                throw new IOException(name + " is no longer in " + root);
            }
            InputStream in = zip.getInputStream(entry);
            in.skipNBytes(offset);
            return new java.io.FilterInputStream(in) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        zip.close();
                    }
                }
            };
        }
        FileChannel channel = FileChannel.open(root.resolve(name), StandardOpenOption.READ);
        channel.position(offset);
        return Channels.newInputStream(channel);
    }
}
