package org.plugtorch.opencl;

import static org.plugtorch.spi.Preconditions.checkState;

import com.aparapi.Kernel;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Deletes the JNI global reference that aparapi-jni 1.4.3 leaks with every kernel it disposes, so that a stopped
 * backend bundle's revision can be collected (issue 12, item 9).
 *
 * <p>{@code JNIContext}'s constructor (in the embedded {@code libaparapi_x86_64.so}) stores three global references: to
 * the kernel at offset 0x10, to the {@code OpenCLDevice} object at 0x18 and to the kernel's class at 0x20;
 * {@code JNIContext::dispose} deletes those at 0x10 and 0x20 only (both read in the library's machine code: the
 * constructor's {@code NewGlobalRef} results and their stores, dispose's {@code DeleteGlobalRef} arguments). The
 * leaked reference is a GC root that holds the {@code OpenCLDevice}, whose class belongs to the bundle revision's
 * class loader: every revision stayed in memory for good, with its classes (about 600), its copy of the native
 * library and everything its statics hold. This reads the reference before the kernel is disposed and deletes it
 * afterwards, through the JVM's own JNI function table, reached with JNA; the reference's type is checked first.
 *
 * <p>Only for the one native library the bundle carries (Linux x86-64); anywhere else it does nothing. Failing, it
 * leaves the reference as it was: the revision then leaks as before, which is logged, and nothing else changes.
 */
final class DeviceObjectRelease {
    private static final System.Logger LOG = System.getLogger(DeviceObjectRelease.class.getName());
    /** Offset of {@code JNIContext::openCLDeviceObject} in aparapi-jni 1.4.3's x86-64 Linux library. */
    private static final long DEVICE_OBJECT_OFFSET = 0x18;

    private static final int JNI_VERSION_1_6 = 0x00010006;
    /** Indices in the JNI function tables (jni.h): JNIInvokeInterface's GetEnv, JNINativeInterface's others. */
    private static final int GET_ENV = 6;

    private static final int DELETE_GLOBAL_REF = 22;
    private static final int GET_OBJECT_REF_TYPE = 232;
    private static final int JNI_GLOBAL_REF_TYPE = 2;

    private final Pointer reference;

    private DeviceObjectRelease(Pointer reference) {
        this.reference = reference;
    }

    /** Reads the reference {@code kernel}'s native context holds to its device, before the kernel is disposed. */
    static DeviceObjectRelease before(Kernel kernel) {
        if (!"amd64".equals(System.getProperty("os.arch"))
                || !System.getProperty("os.name", "").startsWith("Linux")) {
            return new DeviceObjectRelease(null);
        }
        try {
            Object runner = field(Kernel.class, "kernelRunner").get(kernel);
            if (runner == null) {
                return new DeviceObjectRelease(null);
            }
            long handle = field(runner.getClass(), "jniContextHandle").getLong(runner);
            return new DeviceObjectRelease(handle == 0 ? null : new Pointer(handle).getPointer(DEVICE_OBJECT_OFFSET));
        } catch (Throwable t) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "opencl: cannot read Aparapi's device reference, a stopped backend's "
                            + "classes will stay in memory: " + OpenClPlatforms.firstLine(t));
            return new DeviceObjectRelease(null);
        }
    }

    /** Deletes the reference, after the kernel was disposed; true if it did. */
    boolean release() {
        if (reference == null) {
            return false;
        }
        NativeLibrary jvm = null;
        try {
            jvm = NativeLibrary.getInstance(libjvm());
            Pointer env = currentEnv(jvm);
            Pointer functions = env.getPointer(0);
            int type = jni(functions, GET_OBJECT_REF_TYPE).invokeInt(new Object[] {env, reference});
            if (type != JNI_GLOBAL_REF_TYPE) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "opencl: Aparapi's device reference is not a global reference " + "(type " + type
                                + "): left alone");
                return false;
            }
            jni(functions, DELETE_GLOBAL_REF).invoke(Void.class, new Object[] {env, reference});
            return true;
        } catch (Throwable t) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "opencl: cannot delete Aparapi's device reference, a stopped "
                            + "backend's classes will stay in memory: " + OpenClPlatforms.firstLine(t));
            return false;
        } finally {
            if (jvm != null) {
                jvm.close(); // JNA keeps a cleaner thread, of this revision's class, while a library is open
            }
        }
    }

    private static Function jni(Pointer table, int index) {
        return Function.getFunction(table.getPointer((long) index * Native.POINTER_SIZE));
    }

    /** The calling thread's {@code JNIEnv*}, from the JVM's {@code JNI_GetCreatedJavaVMs} and {@code GetEnv}. */
    private static Pointer currentEnv(NativeLibrary jvm) {
        Function created = jvm.getFunction("JNI_GetCreatedJavaVMs");
        long[] vm = new long[1];
        int[] count = new int[1];
        int found = created.invokeInt(new Object[] {vm, 1, count});
        checkState(
                found == 0 && count[0] >= 1,
                () -> "JNI_GetCreatedJavaVMs returned " + found + " with " + count[0] + " VMs");
        Pointer javaVm = new Pointer(vm[0]);
        long[] env = new long[1];
        Function getEnv = Function.getFunction(javaVm.getPointer(0).getPointer((long) GET_ENV * Native.POINTER_SIZE));
        int got = getEnv.invokeInt(new Object[] {javaVm, env, JNI_VERSION_1_6});
        checkState(got == 0, () -> "GetEnv returned " + got);
        return new Pointer(env[0]);
    }

    private static String libjvm() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash > 0 && line.endsWith("/libjvm.so")) {
                return line.substring(slash);
            }
        }
        throw new IllegalStateException("libjvm.so is not mapped");
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** JNA's pointer size, named here so the table arithmetic reads as jni.h does. */
    private static final class Native {
        static final int POINTER_SIZE = com.sun.jna.Native.POINTER_SIZE;
    }
}
