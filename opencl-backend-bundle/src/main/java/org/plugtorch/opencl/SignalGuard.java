package org.plugtorch.opencl;

import static org.plugtorch.spi.Preconditions.checkState;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the JVM's signal handlers in place when an OpenCL platform compiles with an LLVM inside the process (PoCL).
 *
 * <p>The JVM uses SIGSEGV (and SIGBUS, SIGFPE, SIGILL, SIGUSR2, SIGQUIT, ...) for its own work: safepoint polls and
 * implicit null checks fault on purpose, thousands of times a second in a busy process. PoCL builds every program
 * with clang in the process, and clang writes its output through a temporary file that LLVM registers for removal on
 * a crash ({@code llvm::sys::RemoveFileOnSignal}), which installs LLVM's handler for those signals over the JVM's.
 * The next fault the JVM meant to take then runs LLVM's handler instead: it deletes the compiler's temporary files
 * (clBuildProgram fails with "unable to rename temporary"), puts the old handlers back, and with two threads faulting
 * at once leaves the process without any (the JVM dies of SIGSEGV, no hs_err file). That is issue 12's crash.
 *
 * <p>The cure without help from outside the process: LLVM installs its handlers only when it believes none are
 * installed (a process-wide count, reset only when its handler runs). So, once the platform's libraries are loaded and
 * before anything is compiled, the guard asks LLVM to install them now ({@code llvm::sys::SetInterruptFunction}, which
 * does nothing else when given no function), then puts back every handler that was there before. LLVM then counts its
 * handlers as installed and never touches the JVM's again, and since the JVM does not know LLVM's handler, that
 * handler never runs. The guard repeats the pair until LLVM installs nothing more (a JVM fault in the microseconds
 * between the two steps makes LLVM uninstall itself, so it must be asked again).
 *
 * <p>PoCL also installs a SIGFPE handler of its own when it starts, which skips any faulting integer division in the
 * process, a Java {@code x / 0} included (which would then not throw); it is put back to the JVM's too. The
 * backend's kernels divide integers only by sizes, never by zero.
 *
 * <p>With the JDK's {@code libjsig} preloaded ({@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so}, signal chaining), the
 * JVM keeps the handlers it installed at start first by itself (the launcher and the test JVMs preload it), but not
 * SIGUSR2, its thread-suspension signal, which it installs apart: LLVM takes it even then (seen on JDK 17), so the
 * guard runs in both cases. It reads and restores through libc's own {@code sigaction}, since libjsig answers every
 * other caller with the handlers it keeps for chaining. Without libjsig, where the guard cannot work (no LLVM symbol to
 * call, native access refused) the backend is unavailable unless {@code -D}{@value #ALLOW_UNPROTECTED}{@code =true}
 * says the risk is accepted.
 */
final class SignalGuard {
    /** Set to {@code true} to serve OpenCL even where the JVM's signal handlers cannot be protected. */
    static final String ALLOW_UNPROTECTED = "plugtorch.opencl.allowUnprotectedSignals";

    /** The fix to name when protection fails. */
    static final String FIX = "start the JVM with the environment variable LD_PRELOAD=$JAVA_HOME/lib/libjsig.so "
            + "(the JDK's signal chaining; bin/plugtorch does this), or accept the risk with -D" + ALLOW_UNPROTECTED
            + "=true";

    /** LLVM's function that installs its handlers and does nothing else when given no function. */
    private static final String REGISTRAR = "_ZN4llvm3sys20SetInterruptFunctionEPFvvE";
    /**
     * The signals LLVM takes (Unix/Signals.inc: SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE,
     * SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE, SIGTERM, SIGXCPU, SIGXFSZ, SIGSYS), by their Linux numbers; no others are
     * touched, so that a handler the application sets meanwhile for another signal is left alone.
     */
    private static final int[] SIGNALS = {1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 15, 24, 25, 31};
    /** Bytes enough for glibc's {@code struct sigaction} (152 on x86-64 and aarch64). */
    private static final int SIGACTION_BYTES = 256;

    private static final int ATTEMPTS = 20;

    private final boolean chained;
    /** Every library opened through JNA, closed again by {@link #close}: JNA runs a thread while any is open. */
    private final List<NativeLibrary> opened = new ArrayList<>();

    private final Function sigaction;
    private final byte[][] before;
    /** Null while the handlers are safe, else why not. */
    private String unsafe;

    private String detail;

    private SignalGuard(boolean chained, Function sigaction, byte[][] before, String unsafe, String detail) {
        this.chained = chained;
        this.sigaction = sigaction;
        this.before = before;
        this.unsafe = unsafe;
        this.detail = detail;
    }

    /**
     * Takes the handlers as they are now, before the OpenCL platform is loaded: what the guard will keep. Never
     * throws; a guard that cannot read the handlers says so in {@link #protect()}.
     */
    static SignalGuard beforePlatformLoads() {
        boolean chained = libjsigMapped();
        if (!System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .contains("linux")) {
            return new SignalGuard(false, null, null, null, "not Linux: nothing to do");
        }
        try {
            // libc's own sigaction, by name: the process's global scope answers with libjsig's where it is preloaded,
            // and libjsig reports the handlers it keeps for chaining, not the ones installed
            NativeLibrary libc = NativeLibrary.getInstance("libc.so.6");
            Function sigaction = libc.getFunction("sigaction");
            SignalGuard guard = new SignalGuard(chained, sigaction, snapshot(sigaction), null, null);
            guard.opened.add(libc);
            return guard;
        } catch (Throwable t) {
            return new SignalGuard(
                    chained,
                    null,
                    null,
                    "cannot read the signal handlers through JNA: " + OpenClPlatforms.firstLine(t),
                    null);
        }
    }

    /** Whether the JDK's signal chaining (libjsig) is in the process, which keeps the JVM's main handlers first. */
    boolean chained() {
        return chained;
    }

    /**
     * After the platform's libraries are loaded and before anything is compiled: makes any LLVM in the process count
     * its handlers as installed while the JVM's stay in place. Returns null when the handlers are safe, else why not.
     * With libjsig too: it keeps the JVM's handlers only for the signals the JVM installed in one go at its start,
     * and the JVM installs SIGUSR2 (thread suspension) apart, which LLVM would take (measured on JDK 17).
     */
    String protect() {
        if (sigaction == null) {
            return unsafe;
        }
        try {
            List<Function> registrars = registrars();
            if (registrars.isEmpty()) {
                // no LLVM of its own in the process: whatever it is, it is checked again after the build (verify)
                detail = prefix() + "no LLVM in the process";
                return null;
            }
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                for (Function r : registrars) {
                    r.invoke(Void.class, new Object[] {Pointer.NULL});
                }
                if (restore().isEmpty()) {
                    detail = prefix() + "LLVM's signal handlers pre-registered and the JVM's put back"
                            + (attempt > 1 ? " (after " + attempt + " tries)" : "");
                    return null;
                }
            }
            unsafe = "LLVM kept installing its signal handlers over the JVM's (" + ATTEMPTS + " tries)";
        } catch (Throwable t) {
            unsafe = "could not pre-register LLVM's signal handlers: " + OpenClPlatforms.firstLine(t);
        }
        return unsafe;
    }

    /**
     * After the devices' programs were built: null if the handlers are still the ones taken at first, else which ones
     * changed (they are put back, but a build that ran with them replaced was not safe).
     */
    String verify() {
        if (sigaction == null || unsafe != null) {
            return unsafe;
        }
        try {
            List<Integer> changed = restore();
            if (!changed.isEmpty()) {
                unsafe = "the OpenCL platform replaced the JVM's handlers of signals " + changed;
            }
        } catch (Throwable t) {
            unsafe = "could not check the signal handlers: " + OpenClPlatforms.firstLine(t);
        }
        return unsafe;
    }

    private String prefix() {
        return chained ? "signal chaining (libjsig) in place; " : "";
    }

    /** What the guard found, in a few words, for the device's description. */
    String describe() {
        if (unsafe != null) {
            return prefix() + "not protected: " + unsafe;
        }
        return detail == null ? prefix() + "not checked" : detail;
    }

    private static byte[][] snapshot(Function sigaction) {
        byte[][] s = new byte[SIGNALS.length][];
        for (int i = 0; i < SIGNALS.length; i++) {
            s[i] = new byte[SIGACTION_BYTES];
            int signal = SIGNALS[i];
            int rc = sigaction.invokeInt(new Object[] {signal, Pointer.NULL, s[i]});
            checkState(rc == 0, () -> "sigaction(" + signal + ") failed");
        }
        return s;
    }

    /** Puts back every handler that differs from the first snapshot; returns their signals. */
    private List<Integer> restore() {
        byte[][] now = snapshot(sigaction);
        List<Integer> restored = new ArrayList<>();
        for (int i = 0; i < SIGNALS.length; i++) {
            if (handler(now[i]) != handler(before[i])) {
                sigaction.invokeInt(new Object[] {SIGNALS[i], before[i], Pointer.NULL});
                restored.add(SIGNALS[i]);
            }
        }
        return restored;
    }

    /** The handler's address: the first field of {@code struct sigaction}, a pointer. */
    private static long handler(byte[] action) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (action[i] & 0xff);
        }
        return v;
    }

    /** LLVM's registrar in each library of the process that has one (PoCL links LLVM, or carries it inside). */
    private List<Function> registrars() throws IOException {
        List<Function> found = new ArrayList<>();
        for (String lib : mappedLibraries()) {
            String name = Path.of(lib).getFileName().toString();
            if (!name.contains("LLVM") && !name.contains("pocl")) {
                continue;
            }
            NativeLibrary library = NativeLibrary.getInstance(lib);
            opened.add(library);
            try {
                found.add(library.getFunction(REGISTRAR));
            } catch (UnsatisfiedLinkError e) {
                // this library does not export it
            }
        }
        return found;
    }

    /**
     * Lets go of the libraries the guard opened (the platform keeps its own references), once the devices are built:
     * JNA keeps a cleaner thread, whose class is this bundle revision's, for as long as any is open.
     */
    void close() {
        opened.forEach(NativeLibrary::close);
        opened.clear();
    }

    static boolean libjsigMapped() {
        try {
            return mappedLibraries().stream()
                    .anyMatch(l -> Path.of(l).getFileName().toString().equals("libjsig.so"));
        } catch (IOException e) {
            return false;
        }
    }

    private static Set<String> mappedLibraries() throws IOException {
        Set<String> libs = new LinkedHashSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash > 0 && line.contains(".so")) {
                libs.add(line.substring(slash).trim());
            }
        }
        return libs;
    }
}
