package org.plugtorch.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 1: compiling on PoCL runs clang inside the JVM, and LLVM used to install its signal handlers over the
 * JVM's (SIGSEGV, SIGBUS, SIGFPE, SIGILL, ...), which made the JVM die or a later build fail under load. After
 * backends have started, each compiling its program, every such signal's handler (as libc has it) must lie in
 * libjvm.so, and without libjsig the JVM itself must find its handlers unmodified (its {@code VM.info}).
 *
 * <p>Surefire runs this class twice: in the default execution, whose JVM preloads libjsig as the launcher's does, and
 * in the {@code unchained-signals} execution, whose JVM does not, as an embedder's may not; there the backend's own
 * {@link SignalGuard} is what keeps the handlers.
 */
class SignalHandlersTest {
    private static final String[] JVM_SIGNALS = {
        "SIGSEGV", "SIGBUS", "SIGFPE", "SIGILL", "SIGQUIT", "SIGUSR2", "SIGHUP", "SIGINT", "SIGTERM"
    };
    /** The same signals' numbers on Linux. */
    private static final int[] SIGNAL_NUMBERS = {11, 7, 8, 4, 3, 12, 1, 2, 15};

    @Test
    void theJvmKeepsItsSignalHandlersWhileBackendsCompile() throws Exception {
        String expected = System.getProperty("plugtorch.test.libjsig");
        if (expected != null) {
            assertEquals(
                    Boolean.parseBoolean(expected),
                    SignalGuard.libjsigMapped(),
                    "this test JVM runs with libjsig " + "preloaded: " + SignalGuard.libjsigMapped()
                            + " (the surefire execution says " + expected + ")");
        }
        SharedOpenCl.available();
        // two more starts: each builds the program again (PoCL runs clang in the process even when its cache has it)
        for (int i = 0; i < 2; i++) {
            OpenClBackend b = new OpenClBackend();
            try {
                assertNull(b.unavailableReason());
            } finally {
                b.close();
            }
        }
        // the handler the kernel would run, read from libc itself: libjsig, where preloaded, answers every other
        // caller (the process's global symbol scope, the JVM's VM.info) with the handlers it keeps for chaining
        Function sigaction = NativeLibrary.getInstance("libc.so.6").getFunction("sigaction");
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        for (int i = 0; i < JVM_SIGNALS.length; i++) {
            byte[] action = new byte[256];
            assertEquals(0, sigaction.invokeInt(new Object[] {SIGNAL_NUMBERS[i], Pointer.NULL, action}));
            long handler =
                    ByteBuffer.wrap(action).order(ByteOrder.nativeOrder()).getLong(0);
            String library = libraryOf(handler, maps);
            assertTrue(
                    library.endsWith("/libjvm.so"),
                    JVM_SIGNALS[i] + "'s handler is the JVM's: it is at 0x" + Long.toHexString(handler) + " in "
                            + library);
        }
        if (!SignalGuard.libjsigMapped()) {
            List<String> handlers = signalHandlers();
            List<String> modified =
                    handlers.stream().filter(l -> l.contains("modified")).toList();
            assertEquals(
                    List.of(), modified, "the JVM finds its own handlers in place:\n" + String.join("\n", handlers));
        }
        String protection = SharedOpenCl.backend().devices().get(0).properties().get("signals");
        assertTrue(
                protection.startsWith((SignalGuard.libjsigMapped() ? "signal chaining (libjsig) in place; " : "")
                        + "LLVM's signal handlers pre-registered and the JVM's put back"),
                protection);
    }

    /** The file mapped at {@code address}, from {@code /proc/self/maps}, or a note that none is. */
    private static String libraryOf(long address, List<String> maps) {
        for (String line : maps) {
            String[] f = line.trim().split("\\s+");
            String[] range = f[0].split("-");
            if (Long.compareUnsigned(address, Long.parseUnsignedLong(range[0], 16)) >= 0
                    && Long.compareUnsigned(address, Long.parseUnsignedLong(range[1], 16)) < 0) {
                return f.length > 5 ? f[5] : "an anonymous mapping";
            }
        }
        return address == 0 ? "nothing (the default action)" : "no mapping";
    }

    /** The "Signal Handlers:" section of the JVM's {@code VM.info}. */
    static List<String> signalHandlers() throws Exception {
        String info = (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "vmInfo",
                        new Object[] {null},
                        new String[] {String[].class.getName()});
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String line : info.split("\n")) {
            if (line.startsWith("Signal Handlers:")) {
                in = true;
            } else if (in && line.isBlank()) {
                break;
            } else if (in) {
                out.add(line);
            }
        }
        assertTrue(!out.isEmpty(), "VM.info has a Signal Handlers section");
        return out;
    }
}
