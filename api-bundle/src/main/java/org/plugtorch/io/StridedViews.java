package org.plugtorch.io;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.plugtorch.Tensor;

/**
 * Rebuilds a saved view (PyTorch's {@code as_strided(size, stride, offset)}) of a one-dimensional storage tensor with
 * the public view operations alone, so that it shares the storage as it did when saved. Dimensions are taken from the
 * largest stride down: each one splits the current contiguous run into rows of a divisor of its stride ({@code view})
 * and keeps every (stride / row length)-th row ({@code slice} with a step); the element left in the last run is
 * {@code select}ed; then the dimensions are put back in order, with size-1 and stride-0 dimensions added by
 * {@code unsqueeze} and {@code expand}. This reaches every
 * layout whose elements do not overlap (transposes, slices, steps, narrowed rows): all that {@code torch.save} meets
 * in state dicts. Overlapping layouts return null, for the caller to copy.
 */
final class StridedViews {
    private StridedViews() {
    }

    static Tensor view(Tensor storage, long offset, long[] shape, long[] strides) {
        int rank = shape.length;
        if (Sizes.numel(shape) == 0) {
            return null;
        }
        List<Integer> real = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (shape[d] > 1 && strides[d] > 0) {
                real.add(d);
            }
        }
        real.sort(Comparator.comparingLong((Integer d) -> -strides[d]));
        Tensor t = storage;
        long run = storage.numel();
        long position = offset;
        for (int i = 0; i < real.size(); i++) {
            int d = real.get(i);
            long stride = strides[d];
            long extent = 1;
            for (int j = i + 1; j < real.size(); j++) {
                extent += (shape[real.get(j)] - 1) * strides[real.get(j)];
            }
            long rowLength = rowLength(stride, extent, position, run, shape[d]);
            if (rowLength < 0) {
                return null;
            }
            long step = stride / rowLength;
            long row = position / rowLength;
            long rows = run / rowLength;
            int last = t.dim() - 1;
            long[] split = t.shape();
            long[] newShape = new long[split.length + 1];
            System.arraycopy(split, 0, newShape, 0, last);
            newShape[last] = rows;
            newShape[last + 1] = rowLength;
            t = t.narrow(last, 0, rows * rowLength).view(newShape).slice(last, row, row + (shape[d] - 1) * step + 1, step);
            run = rowLength;
            position = position % rowLength;
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

    /**
     * The length of the rows to split a run of {@code run} elements into, so that a dimension of {@code size} with
     * {@code stride} is every {@code stride / rowLength}-th row from the one holding {@code position}: a divisor of
     * the stride that holds the inner dimensions' {@code extent} without wrapping, and leaves enough whole rows. The
     * smallest such divisor wastes the least at the storage's end (where {@code base[::2]} needs only part of a row).
     * -1 when there is none.
     */
    private static long rowLength(long stride, long extent, long position, long run, long size) {
        List<Long> divisors = new ArrayList<>();
        for (long k = 1; k * k <= stride; k++) {
            if (stride % k == 0) {
                divisors.add(k);
                divisors.add(stride / k);
            }
        }
        divisors.sort(Comparator.naturalOrder());
        for (long r : divisors) {
            if (r >= extent && position % r + extent <= r && position / r + (size - 1) * (stride / r) < run / r) {
                return r;
            }
        }
        return -1;
    }
}
