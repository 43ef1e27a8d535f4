package org.plugtorch.opencl;

import static org.plugtorch.opencl.ProgramCodes.F32;
import static org.plugtorch.opencl.ProgramCodes.F64;
import static org.plugtorch.opencl.ProgramCodes.I32;
import static org.plugtorch.opencl.ProgramCodes.I64;

import java.lang.reflect.Array;
import org.plugtorch.spi.HostBuffer;

/**
 * The arena and stage fields of a {@link DeviceProgram} by dtype code, and Aparapi's typed {@code put}/{@code get}
 * for whichever array they hold. Aparapi moves data only for arrays bound to a field that the program reads or
 * writes, and only in the program's own OpenCL context.
 */
final class ProgramFields {
    private ProgramFields() {}

    static Object arena(DeviceProgram p, int dtype) {
        switch (dtype) {
            case F32:
                return p.f32;
            case F64:
                return p.f64;
            case I64:
                return p.i64;
            case I32:
                return p.i32;
            default:
                return p.b8;
        }
    }

    static void bindArena(DeviceProgram p, int dtype, Object array) {
        switch (dtype) {
            case F32:
                p.f32 = (float[]) array;
                break;
            case F64:
                p.f64 = (double[]) array;
                break;
            case I64:
                p.i64 = (long[]) array;
                break;
            case I32:
                p.i32 = (int[]) array;
                break;
            default:
                p.b8 = (byte[]) array;
        }
    }

    static void bindStage(DeviceProgram p, int dtype, Object array) {
        switch (dtype) {
            case F32:
                p.stageF32 = (float[]) array;
                break;
            case F64:
                p.stageF64 = (double[]) array;
                break;
            case I64:
                p.stageI64 = (long[]) array;
                break;
            case I32:
                p.stageI32 = (int[]) array;
                break;
            default:
                p.stageBool = (byte[]) array;
        }
    }

    /** A zeroed array of the arena's element type. */
    static Object newArray(int dtype, int length) {
        switch (dtype) {
            case F32:
                return new float[length];
            case F64:
                return new double[length];
            case I64:
                return new long[length];
            case I32:
                return new int[length];
            default:
                return new byte[length];
        }
    }

    /** The host buffer over an array of one of the arena element types (bytes are bools). */
    static HostBuffer wrap(Object array) {
        if (array instanceof float[]) {
            return HostBuffer.wrap((float[]) array);
        } else if (array instanceof double[]) {
            return HostBuffer.wrap((double[]) array);
        } else if (array instanceof long[]) {
            return HostBuffer.wrap((long[]) array);
        } else if (array instanceof int[]) {
            return HostBuffer.wrap((int[]) array);
        }
        return HostBuffer.wrapBool((byte[]) array);
    }

    static int length(Object array) {
        return Array.getLength(array);
    }

    /** Marks {@code array} to be written to the device at the next launch (Aparapi's explicit mode). */
    static void put(DeviceProgram p, Object array) {
        if (array instanceof float[]) {
            p.put((float[]) array);
        } else if (array instanceof double[]) {
            p.put((double[]) array);
        } else if (array instanceof long[]) {
            p.put((long[]) array);
        } else if (array instanceof int[]) {
            p.put((int[]) array);
        } else {
            p.put((byte[]) array);
        }
    }

    /** Reads {@code array}'s device buffer back into it, now. */
    static void get(DeviceProgram p, Object array) {
        if (array instanceof float[]) {
            p.get((float[]) array);
        } else if (array instanceof double[]) {
            p.get((double[]) array);
        } else if (array instanceof long[]) {
            p.get((long[]) array);
        } else if (array instanceof int[]) {
            p.get((int[]) array);
        } else {
            p.get((byte[]) array);
        }
    }
}
