package org.plugtorch;

/**
 * Element type of a tensor, named as PyTorch names it ({@code torch.float32} prints as {@code torch.float32}).
 *
 * <p>Type promotion follows PyTorch's categories: {@code bool < integer < floating point}; inside a category the
 * wider type wins.
 */
public enum DType {
    BOOL("bool", 1, Category.BOOL),
    INT32("int32", 4, Category.INTEGER),
    INT64("int64", 8, Category.INTEGER),
    FLOAT32("float32", 4, Category.FLOATING),
    FLOAT64("float64", 8, Category.FLOATING);

    /** Coarse kind of a dtype, the unit of PyTorch's type promotion. */
    public enum Category {
        BOOL,
        INTEGER,
        FLOATING
    }

    private final String torchName;
    private final int byteSize;
    private final Category category;

    DType(String torchName, int byteSize, Category category) {
        this.torchName = torchName;
        this.byteSize = byteSize;
        this.category = category;
    }

    /** The name PyTorch uses after {@code torch.}: {@code float32}, {@code int64}, {@code bool}. */
    public String torchName() {
        return torchName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    public Category category() {
        return category;
    }

    public boolean isFloatingPoint() {
        return category == Category.FLOATING;
    }

    public boolean isInteger() {
        return category == Category.INTEGER;
    }

    /** PyTorch's legacy tensor type name ({@code FloatTensor}, {@code LongTensor}), used in error texts. */
    public String legacyTypeName() {
        switch (this) {
            case BOOL:
                return "BoolTensor";
            case INT32:
                return "IntTensor";
            case INT64:
                return "LongTensor";
            case FLOAT32:
                return "FloatTensor";
            default:
                return "DoubleTensor";
        }
    }

    /** The wider of two dtypes under PyTorch's promotion lattice. */
    public static DType promote(DType a, DType b) {
        if (a == b) {
            return a;
        }
        if (a.category != b.category) {
            return a.category.ordinal() > b.category.ordinal() ? a : b;
        }
        return a.byteSize >= b.byteSize ? a : b;
    }

    /** Parses {@code float32}, {@code torch.float32}, and PyTorch's aliases {@code float}, {@code double}, {@code long}, {@code int}. */
    public static DType parse(String name) {
        String n = name.startsWith("torch.") ? name.substring(6) : name;
        switch (n) {
            case "bool":
                return BOOL;
            case "int32":
            case "int":
                return INT32;
            case "int64":
            case "long":
                return INT64;
            case "float32":
            case "float":
                return FLOAT32;
            case "float64":
            case "double":
                return FLOAT64;
            default:
                throw new IllegalArgumentException(
                        "unknown dtype '" + name + "'; expected one of bool, int32, int64, float32, float64");
        }
    }

    @Override
    public String toString() {
        return "torch." + torchName;
    }
}
