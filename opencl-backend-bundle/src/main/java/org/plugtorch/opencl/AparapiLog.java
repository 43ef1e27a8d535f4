package org.plugtorch.opencl;

import com.aparapi.Config;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Aparapi's logger, for two reasons. Aparapi reports why a kernel left its device only as a log warning ("Device
 * failed for ...: ..."), so this keeps the latest warning for the error message of {@link LaunchGuard}. And
 * Aparapi's {@code Config} class, when it initialises, sets the level of every handler of the JVM's root logger to
 * WARNING, which would silence the INFO output of every other component in the process: {@link #initialise} undoes
 * that.
 */
final class AparapiLog extends Handler {
    private final Logger logger = Logger.getLogger(Config.getLoggerName());
    private volatile String lastWarning;

    /** Loads Aparapi's configuration while keeping the root handlers' levels as they were. */
    static void initialise() {
        Handler[] root = Logger.getLogger("").getHandlers();
        Level[] levels = new Level[root.length];
        for (int i = 0; i < root.length; i++) {
            levels[i] = root[i].getLevel();
        }
        try {
            Class.forName(Config.class.getName(), true, Config.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new NoClassDefFoundError(e.getMessage());
        } finally {
            for (int i = 0; i < root.length; i++) {
                root[i].setLevel(levels[i]);
            }
        }
    }

    /** Starts listening; {@link #close} stops, so that an updated bundle's old class loader is not kept alive. */
    AparapiLog attach() {
        setLevel(Level.WARNING);
        logger.addHandler(this);
        return this;
    }

    /** Aparapi's latest warning, on one line, or null. */
    String lastWarning() {
        return lastWarning;
    }

    @Override
    public void publish(LogRecord record) {
        if (record != null && record.getLevel().intValue() >= Level.WARNING.intValue()) {
            String message = record.getMessage();
            if (record.getThrown() != null && (message == null || message.isEmpty())) {
                message = record.getThrown().toString();
            }
            lastWarning =
                    message == null ? null : message.replaceAll("\\s+", " ").trim();
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
