package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** Saved views rebuilt from public view operations: every non-overlapping layout shares the storage, with its values. */
class StridedViewsTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    /** The values of {@code as_strided(shape, strides, offset)}, element by element. */
    private static double[] gathered(double[] storage, long offset, long[] shape, long[] strides) {
        int n = (int) Sizes.numel(shape);
        double[] out = new double[n];
        long[] index = new long[shape.length];
        for (int i = 0; i < n; i++) {
            long p = offset;
            for (int d = 0; d < shape.length; d++) {
                p += index[d] * strides[d];
            }
            out[i] = storage[(int) p];
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out;
    }

    @Test
    void layoutsPyTorchSavesAreRebuiltAsViews() {
        double[] values = new double[24];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        Tensor storage = Tensor.fromArray(values, 24);
        long[][][] cases = {
            {{2, 3}, {3, 1}, {0}}, // contiguous
            {{3, 2}, {1, 3}, {0}}, // transposed
            {{3, 2}, {4, 1}, {1}}, // columns 1..2 of a 3x4 (the last row is partial)
            {{2, 4}, {8, 1}, {0}}, // every other row of a 3x4
            {{4}, {1}, {20}}, // the tail
            {{}, {}, {23}}, // one element
            {{3, 1, 4}, {4, 7, 1}, {0}}, // a size-1 dimension with any stride
            {{3, 4}, {0, 1}, {2}}, // expanded (stride 0)
            {{2, 3, 2}, {1, 4, 12}, {0}}, // permuted
            {{2, 2, 2}, {12, 3, 1}, {5}}, // nested slices
        };
        for (long[][] c : cases) {
            Tensor v = StridedViews.view(storage, c[2][0], c[0], c[1]);
            assertNotNull(v, java.util.Arrays.deepToString(c));
            assertTrue(v.sharesStorageWith(storage));
            assertArrayEquals(c[0], v.shape());
            assertArrayEquals(
                    gathered(values, c[2][0], c[0], c[1]), v.toDoubleArray(), java.util.Arrays.deepToString(c));
        }
    }

    @Test
    void layoutsNoViewReachesAreLeftToTheCallerToCopy() {
        Tensor storage = Tensor.arange(10).to(DType.FLOAT64);
        assertNull(StridedViews.view(storage, 0, new long[] {3, 3}, new long[] {1, 1}), "overlapping");
        assertNull(StridedViews.view(storage, 0, new long[] {2, 3}, new long[] {2, 1}), "overlapping");
        assertNull(
                StridedViews.view(Tensor.arange(8), 0, new long[] {2, 3}, new long[] {5, 1}),
                "torch.arange(8).as_strided((2, 3), (5, 1)): its second row runs past the storage's end");
    }

    @Test
    void randomNonOverlappingLayoutsAllBecomeViews() {
        Random r = new Random(11);
        for (int trial = 0; trial < 2000; trial++) {
            int rank = 1 + r.nextInt(4);
            long[] shape = new long[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = 1 + r.nextInt(4);
            }
            // a permuted, sliced block of a larger contiguous tensor: strides are products of a padded shape
            long[] padded = new long[rank];
            long[] steps = new long[rank];
            for (int d = 0; d < rank; d++) {
                steps[d] = 1 + r.nextInt(3);
                padded[d] = shape[d] * steps[d] + r.nextInt(3);
            }
            int[] perm = permutation(rank, r);
            long[] strides = new long[rank];
            long s = 1;
            for (int k = rank - 1; k >= 0; k--) {
                int d = perm[k];
                strides[d] = s * steps[d];
                s *= padded[d];
            }
            // the base tensor's storage: whole, as the contiguous tensors that PyTorch's views come from
            long offset = r.nextInt(5);
            int size = (int) (offset + s + r.nextInt(3));
            double[] values = new double[size];
            for (int i = 0; i < size; i++) {
                values[i] = i;
            }
            Tensor storage = Tensor.fromArray(values, size);
            Tensor v = StridedViews.view(storage, offset, shape, strides);
            String what = "shape " + Sizes.list(shape) + " strides " + Sizes.list(strides) + " offset " + offset
                    + " storage " + size;
            assertNotNull(v, what);
            assertTrue(v.sharesStorageWith(storage), what);
            assertArrayEquals(gathered(values, offset, shape, strides), v.toDoubleArray(), what);
        }
    }

    private static int[] permutation(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
