package org.plugtorch.opencl;

import static org.plugtorch.opencl.ProgramCodes.STAGE_IN;
import static org.plugtorch.opencl.ProgramCodes.STAGE_OUT;

import java.lang.reflect.Array;

/**
 * Finds out, by trying, whether the device computes on an arena's Java array in place. Aparapi creates every buffer
 * with {@code CL_MEM_USE_HOST_PTR}; a device whose memory is host memory (PoCL's CPU device) then uses the array
 * itself as device memory, and a host transfer can be one plain copy into or out of the arena, with no launch. A
 * discrete GPU keeps its own copy, and there the arena's Java array is stale. Neither Aparapi nor OpenCL says which
 * (an implementation may copy on {@code USE_HOST_PTR} at will), so nothing is assumed: the backend takes the direct
 * path for an arena only after this probe has seen both directions work on that very array.
 *
 * <p>The probe moves data only through the two staging kernels: a STAGE_IN launch must show in the arena's Java array
 * without a read-back, and values written into the Java array must reach a STAGE_OUT launch without a write.
 */
final class SharedMemoryProbe {
    /** Elements per direction; the probe uses twice this many, from its offset. */
    static final int ELEMENTS = 16;

    /** Launches a plan on the device under its lock, or throws (see {@link ClDevice}). */
    interface Launcher {
        void launch(int[] plan, String what);
    }

    private SharedMemoryProbe() {}

    /**
     * Null when the device uses {@code arena} (bound to the program's field for {@code dtype}) in place, else why not.
     * Elements {@code [at, at + 2 * ELEMENTS)} of the arena must be unused; the caller zeroes them again afterwards.
     * The stage field holds a placeholder again when this returns.
     */
    static String check(DeviceProgram program, int dtype, Object arena, int at, Launcher launcher) {
        try {
            Object sent = pattern(dtype, 1);
            ProgramFields.bindStage(program, dtype, sent);
            launcher.launch(
                    Plans.stage(STAGE_IN, dtype, at, ELEMENTS), "probing whether the device shares host memory");
            if (!sameElements(arena, at, sent)) {
                return "a kernel's writes to the arena do not show in its Java array without a read-back";
            }
            Object written = pattern(dtype, 0);
            System.arraycopy(written, 0, arena, at + ELEMENTS, ELEMENTS);
            Object received = ProgramFields.newArray(dtype, ELEMENTS);
            ProgramFields.bindStage(program, dtype, received);
            launcher.launch(
                    Plans.stage(STAGE_OUT, dtype, at + ELEMENTS, ELEMENTS),
                    "probing whether the device shares host memory");
            if (!sameElements(received, 0, written)) {
                return "writes to the arena's Java array do not reach the device without a write";
            }
            return null;
        } finally {
            ProgramFields.bindStage(program, dtype, ProgramFields.newArray(dtype, 1));
        }
    }

    /** Distinct non-zero values where possible (bool alternates 0 and 1, starting at {@code phase}). */
    private static Object pattern(int dtype, int phase) {
        Object a = ProgramFields.newArray(dtype, ELEMENTS);
        for (int i = 0; i < ELEMENTS; i++) {
            byte v = dtype == ProgramCodes.BOOL ? (byte) ((i + phase) % 2) : (byte) (phase == 1 ? i + 1 : -(i + 1));
            Array.setByte(a, i, v);
        }
        return a;
    }

    private static boolean sameElements(Object array, int at, Object expected) {
        for (int i = 0; i < ELEMENTS; i++) {
            if (!Array.get(array, at + i).equals(Array.get(expected, i))) {
                return false;
            }
        }
        return true;
    }
}
