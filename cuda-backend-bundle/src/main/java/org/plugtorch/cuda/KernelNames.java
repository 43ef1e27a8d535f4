package org.plugtorch.cuda;

import org.plugtorch.DType;

/** How kernel names spell dtypes: {@code pt_unary_f32}, and element widths for bit copies: {@code pt_fill_32}. */
final class KernelNames {
    private KernelNames() {}

    static String of(DType dtype) {
        switch (dtype) {
            case BOOL:
                return "b8";
            case INT32:
                return "i32";
            case INT64:
                return "i64";
            case FLOAT32:
                return "f32";
            default:
                return "f64";
        }
    }

    static String bits(DType dtype) {
        return Integer.toString(dtype.byteSize() * 8);
    }
}
