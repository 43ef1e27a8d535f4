package org.plugtorch.io;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.plugtorch.Tensor;

/**
 * Rebuilds a saved view (PyTorch's {@code as_strided(size, stride, offset)}) of a one-dimensional storage tensor with
 * the public view operations alone, so that it shares the storage as it did when saved. Dimensions are taken from the
 * largest stride down: each one splits the current contiguous run into rows of a divisor of its stride ({@code view})
 * and keeps every (stride / row length)-th row ({@code slice} with a step); the element left in the last run is
 * {@code select}ed; then the dimensions are put back in order, with size-1 and stride-0 dimensions added by
 * {@code unsqueeze} and {@code expand}. This reaches the views that PyTorch's view operations make of a tensor
 * (transposes, slices, steps, narrowed rows, expands): all that state dicts hold. Layouts that are no such view
 * (overlapping elements, or rows cut off by the end of the storage, as {@code as_strided} can make) give null, for
 * the caller to copy.
 */
final class StridedViews {
    private StridedViews() {}

    /** The most split choices tried per view: layouts no search this size settles are copied instead. */
    private static final int BUDGET = 10_000;

    /** The work any file's views may take, whatever its size: ten milliseconds or so. */
    static final long BASE_BUDGET = 1_000_000;

    /** A view of {@code storage}, or null; with a budget of its own. */
    static Tensor view(Tensor storage, long offset, long[] shape, long[] strides) {
        return view(storage, offset, shape, strides, new Budget(BASE_BUDGET));
    }

    /**
     * The work that rebuilding the views of one file may take, shared by all of them, so that a file of many views
     * with costly layouts costs what its size allows, not {@link #BUDGET} steps for each: split choices tried, and
     * candidates looked at while listing a stride's divisors (listed once per stride for the whole file).
     */
    static final class Budget {
        long left;
        final Map<Long, List<Long>> divisors = new HashMap<>();

        Budget(long steps) {
            this.left = steps;
        }
    }

    /** A view of {@code storage}, or null: no such view, or the budget ran out (the caller copies instead). */
    static Tensor view(Tensor storage, long offset, long[] shape, long[] strides, Budget budget) {
        int rank = shape.length;
        long numel = Sizes.numel(shape);
        if (numel == 0) {
            return null;
        }
        if (contiguous(shape, strides)) {
            // what nearly every saved tensor is: a run of its storage, two view operations instead of a search
            return (offset == 0 && numel == storage.numel() ? storage : storage.narrow(0, offset, numel)).view(shape);
        }
        List<Integer> real = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (shape[d] > 1 && strides[d] > 0) {
                real.add(d);
            }
        }
        real.sort(Comparator.comparingLong((Integer d) -> -strides[d]));
        long[] sizes = new long[real.size()];
        long[] steps = new long[real.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = shape[real.get(i)];
            steps[i] = strides[real.get(i)];
        }
        for (long step : steps) {
            if (divisors(step, budget) == null) {
                return null;
            }
        }
        long[][] plan = new long[sizes.length][];
        int[] search = {(int) Math.min(BUDGET, budget.left)};
        int granted = search[0];
        boolean found = plan(0, storage.numel(), offset, sizes, steps, plan, search, budget.divisors);
        budget.left -= granted - Math.max(0, search[0]);
        if (!found) {
            return null;
        }
        Tensor t = storage;
        long position = offset;
        for (int i = 0; i < sizes.length; i++) {
            long rowLength = plan[i][0];
            long align = plan[i][1];
            long run = t.size(t.dim() - 1);
            long step = steps[i] / rowLength;
            long row = (position - align) / rowLength;
            long rows = (run - align) / rowLength;
            int last = t.dim() - 1;
            long[] outer = t.shape();
            long[] newShape = new long[outer.length + 1];
            System.arraycopy(outer, 0, newShape, 0, last);
            newShape[last] = rows;
            newShape[last + 1] = rowLength;
            t = t.narrow(last, align, rows * rowLength)
                    .view(newShape)
                    .slice(last, row, row + (sizes[i] - 1) * step + 1, step);
            position = (position - align) % rowLength;
        }
        t = t.select(t.dim() - 1, position);
        // t's dimensions are the real ones, largest stride first: put them back in their original order
        int[] order = new int[real.size()];
        List<Integer> sorted = new ArrayList<>(real);
        sorted.sort(Comparator.naturalOrder());
        for (int k = 0; k < sorted.size(); k++) {
            order[k] = real.indexOf(sorted.get(k));
        }
        t = t.permute(order);
        for (int d = 0; d < rank; d++) {
            if (!(shape[d] > 1 && strides[d] > 0)) {
                t = t.unsqueeze(d);
            }
        }
        return t.expand(shape);
    }

    /** Row-major strides for every dimension larger than 1. */
    private static boolean contiguous(long[] shape, long[] strides) {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1) {
                if (strides[d] != expected) {
                    return false;
                }
                expected *= shape[d];
            }
        }
        return true;
    }

    /**
     * Chooses, for dimension {@code i} on and inward, how to split the current run of {@code run} elements into rows
     * so that the dimension is every (stride / length)-th row from the one holding {@code position}: rows of a
     * divisor {@code length} of the stride starting at element {@code align + k * length}, each holding the inner
     * dimensions' extent from {@code position}'s place in it without wrapping, with enough whole rows before the
     * run's end. Short rows suit the storage's end (where {@code base[::2]} needs only part of a row), long ones the
     * inner dimensions, so the choices are searched, shortest first, within a budget.
     */
    private static boolean plan(
            int i,
            long run,
            long position,
            long[] sizes,
            long[] strides,
            long[][] plan,
            int[] budget,
            Map<Long, List<Long>> divisorsOf) {
        if (i == sizes.length) {
            return position < run;
        }
        long stride = strides[i];
        long extent = 1;
        for (int j = i + 1; j < sizes.length; j++) {
            extent += (sizes[j] - 1) * strides[j];
        }
        for (long length : divisorsOf.get(stride)) {
            if (length < extent) {
                continue;
            }
            for (long align = Math.max(0, position % length + extent - length); align <= position % length; align++) {
                if (--budget[0] < 0) {
                    return false;
                }
                long rows = (run - align) / length;
                if ((position - align) / length + (sizes[i] - 1) * (stride / length) < rows
                        && plan(i + 1, length, (position - align) % length, sizes, strides, plan, budget, divisorsOf)) {
                    plan[i] = new long[] {length, align};
                    return true;
                }
            }
        }
        return false;
    }

    /** The divisors of {@code n}, ascending (listed once per budget), or null when the budget cannot pay for it. */
    private static List<Long> divisors(long n, Budget budget) {
        List<Long> known = budget.divisors.get(n);
        if (known != null) {
            return known;
        }
        long cost = (long) Math.sqrt((double) n) + 1;
        if (cost > budget.left) {
            return null;
        }
        budget.left -= cost;
        List<Long> out = new ArrayList<>();
        for (long k = 1; k <= n / k; k++) {
            if (n % k == 0) {
                out.add(k);
                if (k != n / k) {
                    out.add(n / k);
                }
            }
        }
        out.sort(Comparator.naturalOrder());
        budget.divisors.put(n, out);
        return out;
    }
}
