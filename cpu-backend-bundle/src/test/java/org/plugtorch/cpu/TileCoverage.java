package org.plugtorch.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

/** Checks a matrix-product split: every output element of every batch item lies in exactly one tile. */
final class TileCoverage {
    private TileCoverage() {}

    /** {@code problem} is {batches, rows, columns}; each tile is {batch, rowFrom, rowTo, colFrom, colTo}. */
    static void assertEachElementOnce(int[] problem, int parts, List<int[]> tiles) {
        int[][][] count = new int[problem[0]][problem[1]][problem[2]];
        for (int[] t : tiles) {
            for (int i = t[1]; i < t[2]; i++) {
                for (int j = t[3]; j < t[4]; j++) {
                    count[t[0]][i][j]++;
                }
            }
        }
        for (int[][] batch : count) {
            for (int[] row : batch) {
                for (int c : row) {
                    assertEquals(1, c, "problem " + Arrays.toString(problem) + " in " + parts + " parts");
                }
            }
        }
    }
}
