package org.plugtorch.io;

import static org.plugtorch.spi.Preconditions.checkIndex;
import static org.plugtorch.spi.Preconditions.checkState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file mapped read-only into memory, for checkpoints of any size: one {@link MappedByteBuffer} holds at most 2 GiB,
 * so the file is mapped lazily in windows of 1 GiB that start every 512 MiB. Any range of at most 512 MiB then lies
 * inside one window and is served as a slice of it, without copying.
 */
final class MappedFile implements AutoCloseable {
    /** The longest range {@link #slice} serves. */
    static final int MAX_SLICE = 1 << 29;

    private static final long WINDOW = 1L << 30;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final MappedByteBuffer[] windows;

    private MappedFile(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.windows = new MappedByteBuffer[(int) Math.max(1, (size + MAX_SLICE - 1) / MAX_SLICE)];
    }

    static MappedFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new MappedFile(path, channel, channel.size());
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    /** The file name, as errors name the file. */
    String name() {
        Path f = path.getFileName();
        return f == null ? path.toString() : f.toString();
    }

    long size() {
        return size;
    }

    /** Bytes {@code [position, position + length)}, little-endian, positioned at 0; length at most {@link #MAX_SLICE}. */
    ByteBuffer slice(long position, int length) throws IOException {
        checkIndex(
                position >= 0 && length >= 0 && length <= MAX_SLICE && position <= size - length,
                () -> "range [" + position + ", +" + length + ") outside " + name() + " of " + size + " bytes");
        int w = (int) (position / MAX_SLICE);
        MappedByteBuffer window = window(w);
        int start = (int) (position - (long) w * MAX_SLICE);
        return window.slice(start, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    private synchronized MappedByteBuffer window(int w) throws IOException {
        if (windows[w] == null) {
            checkState(channel.isOpen(), () -> name() + " is closed");
            long start = (long) w * MAX_SLICE;
            windows[w] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(WINDOW, size - start));
        }
        return windows[w];
    }

    /** Releases the file; the mappings go when the garbage collector finds them unreachable. */
    @Override
    public synchronized void close() throws IOException {
        java.util.Arrays.fill(windows, null);
        channel.close();
    }
}
