package org.plugtorch.internal.runtime;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.plugtorch.DType;
import org.plugtorch.Node;
import org.plugtorch.Tensor;

/**
 * Prints tensors exactly as PyTorch 1.13 does ({@code torch/_tensor_str.py}) with its default print options.
 *
 * <p>The tensor is copied to a host array once; everything else works on that array, so printing needs no tensor
 * operation. Method names follow the Python functions they port ({@code _str_intern}, {@code _tensor_str},
 * {@code _vector_str}, {@code _Formatter}, {@code get_summarized_data}, {@code _add_suffixes}).
 */
public final class TensorFormatter {
    // PyTorch's PRINT_OPTS defaults (torch.set_printoptions has no counterpart here)
    private static final int PRECISION = 4;
    private static final long THRESHOLD = 1000;
    private static final int EDGEITEMS = 3;
    private static final int LINEWIDTH = 80;

    private static final String PREFIX = "tensor(";
    /** PyTorch indents continuation lines by the width of the prefix. */
    private static final int INDENT = PREFIX.length();

    private TensorFormatter() {}

    /** PyTorch's {@code _str_intern} for a dense tensor: the contents, then the suffixes in PyTorch's order. */
    public static String format(Tensor t) {
        List<String> suffixes = new ArrayList<>();
        // PyTorch prints the device whenever it is not the default device type, which is always the CPU here
        if (!t.device().isCpu()) {
            suffixes.add("device='" + t.device() + "'");
        }
        String contents;
        if (t.numel() == 0) {
            // NumPy's convention: the shape is shown unless it is (0,); the dtype cannot be guessed from no values
            if (t.dim() != 1) {
                suffixes.add("size=" + pythonTuple(t.shape()));
            }
            if (t.dtype() != DType.FLOAT32) {
                suffixes.add("dtype=" + t.dtype());
            }
            contents = "[]";
        } else {
            if (!hasDefaultDType(t.dtype())) {
                suffixes.add("dtype=" + t.dtype());
            }
            contents = tensorStr(t);
        }
        // a result of a recorded operation shows the node that produced it; only a leaf shows requires_grad=True
        Node gradFn = t.gradFn();
        if (gradFn != null) {
            suffixes.add("grad_fn=<" + gradFn.name() + ">");
        } else if (t.requiresGrad()) {
            suffixes.add("requires_grad=True");
        }
        return addSuffixes(PREFIX + contents, suffixes);
    }

    /** The dtypes whose values already tell them apart: the default float, int64 and bool. */
    private static boolean hasDefaultDType(DType dtype) {
        return dtype == DType.FLOAT32 || dtype == DType.INT64 || dtype == DType.BOOL;
    }

    /** Python's {@code str(tuple(shape))}: {@code (0, 3)}, with the trailing comma of a one-element tuple. */
    private static String pythonTuple(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /**
     * PyTorch's {@code _add_suffixes}: each suffix follows on the same line unless that line would pass the line
     * width. The line length it keeps is PyTorch's, including its count of two more characters than a first line
     * holds.
     */
    private static String addSuffixes(String tensorStr, List<String> suffixes) {
        StringBuilder sb = new StringBuilder(tensorStr);
        int lastLineLen = tensorStr.length() - tensorStr.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLen + suffix.length() + 2 > LINEWIDTH) {
                sb.append(",\n").append(" ".repeat(INDENT)).append(suffix);
                lastLineLen = INDENT + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLineLen += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    /** PyTorch's {@code _tensor_str} for a non-empty tensor. */
    private static String tensorStr(Tensor t) {
        Layout layout = new Layout(t.shape(), t.numel() > THRESHOLD);
        ElementFormatter formatter = ElementFormatter.of(t, layout.shownElements());
        return new Printer(layout, formatter).tensor(0, 0, INDENT);
    }

    /**
     * The shape walked row-major, and which elements summarization keeps: when a tensor has more than
     * {@code THRESHOLD} elements, every dimension longer than {@code 2 * EDGEITEMS} shows only its first and last
     * {@code EDGEITEMS} entries.
     */
    private static final class Layout {
        final long[] shape;
        final long[] strides;
        final boolean summarize;

        Layout(long[] shape, boolean summarize) {
            this.shape = shape;
            this.strides = Shapes.contiguous(shape);
            this.summarize = summarize;
        }

        boolean elided(int dim) {
            return summarize && shape[dim] > 2L * EDGEITEMS;
        }

        /** The indices along {@code dim} that are printed, in order. */
        long[] kept(int dim) {
            if (!elided(dim)) {
                long[] all = new long[Math.toIntExact(shape[dim])];
                for (int i = 0; i < all.length; i++) {
                    all[i] = i;
                }
                return all;
            }
            long[] edges = new long[2 * EDGEITEMS];
            for (int i = 0; i < EDGEITEMS; i++) {
                edges[i] = i;
                edges[EDGEITEMS + i] = shape[dim] - EDGEITEMS + i;
            }
            return edges;
        }

        /**
         * The flat indices of the printed elements: PyTorch's {@code get_summarized_data}, the values its
         * {@code _Formatter} looks at.
         */
        int[] shownElements() {
            List<Integer> out = new ArrayList<>();
            collectShown(0, 0, out);
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        private void collectShown(int dim, long offset, List<Integer> out) {
            if (dim == shape.length) {
                out.add(Math.toIntExact(offset));
                return;
            }
            for (long i : kept(dim)) {
                collectShown(dim + 1, offset + i * strides[dim], out);
            }
        }
    }

    /** PyTorch's {@code _tensor_str_with_formatter} and {@code _vector_str}, over one layout and one formatter. */
    private static final class Printer {
        private final Layout layout;
        private final ElementFormatter formatter;

        Printer(Layout layout, ElementFormatter formatter) {
            this.layout = layout;
            this.formatter = formatter;
        }

        /** The sub-tensor starting at dimension {@code dim} and flat index {@code offset}. */
        String tensor(int dim, long offset, int indent) {
            int dimsLeft = layout.shape.length - dim;
            if (dimsLeft == 0) {
                return formatter.format(Math.toIntExact(offset));
            }
            if (dimsLeft == 1) {
                return vector(dim, offset, indent);
            }
            List<String> slices = new ArrayList<>();
            for (long i : layout.kept(dim)) {
                slices.add(tensor(dim + 1, offset + i * layout.strides[dim], indent + 1));
            }
            if (layout.elided(dim)) {
                slices.add(EDGEITEMS, "...");
            }
            // one blank line between 2-d blocks, two between 3-d blocks, and so on
            String separator = "," + "\n".repeat(dimsLeft - 1) + " ".repeat(indent + 1);
            return "[" + String.join(separator, slices) + "]";
        }

        /** A row of elements, as many to a line as fit in the line width after the indent. */
        private String vector(int dim, long offset, int indent) {
            // each element is followed by a comma and a space
            int elementLength = formatter.width() + 2;
            int perLine = Math.max(1, Math.floorDiv(LINEWIDTH - indent, elementLength));
            List<String> data = new ArrayList<>();
            for (long i : layout.kept(dim)) {
                data.add(formatter.format(Math.toIntExact(offset + i * layout.strides[dim])));
            }
            if (layout.elided(dim)) {
                data.add(EDGEITEMS, " ...");
            }
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < data.size(); i += perLine) {
                lines.add(String.join(", ", data.subList(i, Math.min(i + perLine, data.size()))));
            }
            return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
        }
    }

    /** PyTorch's {@code _Formatter}: one element's text, right-aligned to the width shared by all elements. */
    private abstract static class ElementFormatter {
        /** Python's {@code max_width}: never below 1. */
        int maxWidth = 1;

        /** The formatter for {@code t}, fitted to the elements at the flat indices {@code shown}. */
        static ElementFormatter of(Tensor t, int[] shown) {
            switch (t.dtype().category()) {
                case FLOATING:
                    return new FloatFormatter(t.toDoubleArray(), shown);
                case INTEGER:
                    long[] longs = t.toLongArray();
                    return new PlainFormatter(i -> Long.toString(longs[i]), shown);
                default:
                    boolean[] bools = t.toBooleanArray();
                    return new PlainFormatter(i -> bools[i] ? "True" : "False", shown);
            }
        }

        final int width() {
            return maxWidth;
        }

        /** The element at flat index {@code i}, padded on the left to the common width. */
        final String format(int i) {
            String s = text(i);
            return " ".repeat(Math.max(0, maxWidth - s.length())) + s;
        }

        abstract String text(int i);
    }

    /** Integers and bools print as Python's {@code str} prints them. */
    private static final class PlainFormatter extends ElementFormatter {
        private final IntFunction<String> repr;

        PlainFormatter(IntFunction<String> repr, int[] shown) {
            this.repr = repr;
            for (int i : shown) {
                maxWidth = Math.max(maxWidth, repr.apply(i).length());
            }
        }

        @Override
        String text(int i) {
            return repr.apply(i);
        }
    }

    /**
     * Floating point elements, in one of three modes chosen from the nonzero finite values shown: int mode when all
     * are integers ({@code 2.}), scientific when their magnitudes span more than a factor of 1000 or leave
     * [1e-4, 1e8] ({@code 1.0000e-05}), fixed otherwise ({@code 0.4033}).
     */
    private static final class FloatFormatter extends ElementFormatter {
        private final double[] values;
        private boolean intMode = true;
        private boolean sciMode;

        FloatFormatter(double[] values, int[] shown) {
            this.values = values;
            double[] nonzeroFinite = nonzeroFinite(values, shown);
            if (nonzeroFinite.length == 0) {
                return; // zeros and non-finite values only: int mode, width 1
            }
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            for (double v : nonzeroFinite) {
                min = Math.min(min, Math.abs(v));
                max = Math.max(max, Math.abs(v));
                intMode &= v == Math.ceil(v);
            }
            // PyTorch leaves the min < 1e-4 test out in int mode, where it cannot hold: nonzero integers are >= 1
            sciMode = max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4;
            for (double v : nonzeroFinite) {
                maxWidth = Math.max(maxWidth, widthOf(v));
            }
        }

        private static double[] nonzeroFinite(double[] values, int[] shown) {
            return Arrays.stream(shown)
                    .mapToDouble(i -> values[i])
                    .filter(v -> Double.isFinite(v) && v != 0)
                    .toArray();
        }

        /** The width a nonzero finite value needs; int mode counts the point it appends. */
        private int widthOf(double v) {
            if (sciMode) {
                return PyFloat.exponent(v, PRECISION).length();
            }
            return intMode
                    ? PyFloat.fixed(v, 0).length() + 1
                    : PyFloat.fixed(v, PRECISION).length();
        }

        @Override
        String text(int i) {
            double v = values[i];
            if (sciMode) {
                return PyFloat.exponent(v, PRECISION);
            }
            if (intMode) {
                // the point marks a floating point tensor; nan and inf need none
                return PyFloat.fixed(v, 0) + (Double.isFinite(v) ? "." : "");
            }
            return PyFloat.fixed(v, PRECISION);
        }
    }

    /**
     * Python's {@code '{:.Nf}'} and {@code '{:.Ne}'} for a float: the exact binary value rounded half to even
     * (Java's {@code String.format} rounds ties differently), {@code nan}, {@code inf}, a sign kept on zero, and an
     * exponent of at least two digits with its sign.
     */
    private static final class PyFloat {
        private PyFloat() {}

        /** {@code '{:.<digits>f}'.format(v)}. */
        static String fixed(double v, int digits) {
            if (!Double.isFinite(v)) {
                return nonFinite(v);
            }
            BigDecimal rounded = new BigDecimal(Math.abs(v)).setScale(digits, RoundingMode.HALF_EVEN);
            return sign(v) + rounded.toPlainString();
        }

        /** {@code '{:.<digits>e}'.format(v)}. */
        static String exponent(double v, int digits) {
            if (!Double.isFinite(v)) {
                return nonFinite(v);
            }
            BigDecimal rounded = new BigDecimal(Math.abs(v)).round(new MathContext(digits + 1, RoundingMode.HALF_EVEN));
            // the rounded value is unscaled * 10^-scale, with at most digits + 1 significant digits
            String significand = rounded.unscaledValue().toString();
            int exp = rounded.signum() == 0 ? 0 : significand.length() - 1 - rounded.scale();
            significand = (significand + "0".repeat(digits + 1)).substring(0, digits + 1);
            String mantissa = digits == 0 ? significand : significand.charAt(0) + "." + significand.substring(1);
            String expDigits = Integer.toString(Math.abs(exp));
            return sign(v) + mantissa + "e" + (exp < 0 ? "-" : "+") + (expDigits.length() < 2 ? "0" : "") + expDigits;
        }

        /** Python keeps the sign of negative zero and of negatives that round to zero. */
        private static String sign(double v) {
            return Math.copySign(1.0, v) < 0 ? "-" : "";
        }

        private static String nonFinite(double v) {
            return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        }
    }
}
