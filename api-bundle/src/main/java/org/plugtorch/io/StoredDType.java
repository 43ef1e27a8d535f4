package org.plugtorch.io;

import org.plugtorch.DType;

/**
 * An element type as checkpoint files store it, little-endian: every safetensors dtype (declared in the format's
 * own order, which is the order its writer sorts by) and the element types of PyTorch's legacy storage classes.
 * Plugtorch reads those that map to one of its dtypes, and float16/bfloat16 widened to float32 on request; the
 * rest are known so that files holding them are still validated and described.
 */
enum StoredDType {
    BOOL("BOOL", "bool", "BoolStorage", 8, DType.BOOL),
    F4("F4", "float4_e2m1fn_x2", null, 4, null),
    F6_E2M3("F6_E2M3", null, null, 6, null),
    F6_E3M2("F6_E3M2", null, null, 6, null),
    U8("U8", "uint8", "ByteStorage", 8, null),
    I8("I8", "int8", "CharStorage", 8, null),
    F8_E5M2("F8_E5M2", "float8_e5m2", null, 8, null),
    F8_E4M3("F8_E4M3", "float8_e4m3fn", null, 8, null),
    F8_E8M0("F8_E8M0", "float8_e8m0fnu", null, 8, null),
    F8_E4M3FNUZ("F8_E4M3FNUZ", "float8_e4m3fnuz", null, 8, null),
    F8_E5M2FNUZ("F8_E5M2FNUZ", "float8_e5m2fnuz", null, 8, null),
    I16("I16", "int16", "ShortStorage", 16, null),
    U16("U16", "uint16", null, 16, null),
    F16("F16", "float16", "HalfStorage", 16, null),
    BF16("BF16", "bfloat16", "BFloat16Storage", 16, null),
    I32("I32", "int32", "IntStorage", 32, DType.INT32),
    U32("U32", "uint32", null, 32, null),
    F32("F32", "float32", "FloatStorage", 32, DType.FLOAT32),
    C64("C64", "complex64", "ComplexFloatStorage", 64, null),
    F64("F64", "float64", "DoubleStorage", 64, DType.FLOAT64),
    I64("I64", "int64", "LongStorage", 64, DType.INT64),
    U64("U64", "uint64", null, 64, null),
    /** Not a safetensors dtype; torch files may hold it. */
    C128(null, "complex128", "ComplexDoubleStorage", 128, null);

    /** The safetensors spelling, or null. */
    final String safetensorsName;
    /** PyTorch's name after {@code torch.}, or null where PyTorch has none. */
    final String torchName;
    /** PyTorch's legacy storage class in {@code torch}, or null. */
    final String storageClass;

    final int bits;
    /** The Plugtorch dtype holding these values exactly, or null. */
    final DType exact;

    StoredDType(String safetensorsName, String torchName, String storageClass, int bits, DType exact) {
        this.safetensorsName = safetensorsName;
        this.torchName = torchName;
        this.storageClass = storageClass;
        this.bits = bits;
        this.exact = exact;
    }

    static StoredDType ofSafetensors(String name) {
        for (StoredDType t : values()) {
            if (name.equals(t.safetensorsName)) {
                return t;
            }
        }
        return null;
    }

    static StoredDType ofStorageClass(String name) {
        for (StoredDType t : values()) {
            if (name.equals(t.storageClass)) {
                return t;
            }
        }
        return null;
    }

    static StoredDType of(DType dtype) {
        for (StoredDType t : values()) {
            if (t.exact == dtype) {
                return t;
            }
        }
        throw new AssertionError(dtype);
    }

    /** Whole bytes per element; only valid for types of 8 bits or more. */
    int byteSize() {
        return bits / 8;
    }

    boolean isHalfPrecisionFloat() {
        return this == F16 || this == BF16;
    }

    /**
     * The Plugtorch dtype these values are read as: the exact one, float32 for float16/bfloat16 when widening was
     * asked for, else null (Plugtorch cannot hold them).
     */
    DType readAs(boolean widenHalfPrecision) {
        if (exact != null) {
            return exact;
        }
        return widenHalfPrecision && isHalfPrecisionFloat() ? DType.FLOAT32 : null;
    }

    /** The Plugtorch dtype values are decoded as on the host on their way into an existing tensor (which converts). */
    DType hostType() {
        return isHalfPrecisionFloat() ? DType.FLOAT32 : exact;
    }
}
