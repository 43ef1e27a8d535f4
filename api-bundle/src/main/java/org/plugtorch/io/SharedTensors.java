package org.plugtorch.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.Tensors;

/** Which tensors of a state dict share memory, as safetensors' writer checks before saving. */
final class SharedTensors {
    private SharedTensors() {}

    /**
     * Groups (of two or more names) of tensors whose element ranges overlap in one storage, connected through
     * overlaps; groups in the order of their first tensor, names in the given order. Tensors are grouped by storage
     * in one pass and each storage's ranges swept in order of their start: O(n log n), not a test of every pair.
     */
    static List<List<String>> overlapping(List<Map.Entry<String, Tensor>> tensors) {
        int n = tensors.size();
        Map<Object, List<Integer>> byStorage = new IdentityHashMap<>();
        long[] first = new long[n];
        long[] last = new long[n];
        for (int i = 0; i < n; i++) {
            Tensor t = tensors.get(i).getValue();
            if (t.numel() == 0) {
                continue; // no elements, no overlap
            }
            first[i] = t.storageOffset();
            last[i] = last(t);
            byStorage
                    .computeIfAbsent(Tensors.impl(t).storage, s -> new ArrayList<>(1))
                    .add(i);
        }
        // component of each tensor: the smallest index in its connected run of overlapping ranges
        int[] component = new int[n];
        Arrays.fill(component, -1);
        int[] sizes = new int[n];
        for (List<Integer> members : byStorage.values()) {
            if (members.size() < 2) {
                continue;
            }
            members.sort((a, b) -> first[a] != first[b] ? Long.compare(first[a], first[b]) : Integer.compare(a, b));
            int start = 0;
            while (start < members.size()) {
                long reach = last[members.get(start)];
                int end = start + 1;
                int smallest = members.get(start);
                while (end < members.size() && first[members.get(end)] <= reach) {
                    reach = Math.max(reach, last[members.get(end)]);
                    smallest = Math.min(smallest, members.get(end));
                    end++;
                }
                if (end - start > 1) {
                    for (int k = start; k < end; k++) {
                        component[members.get(k)] = smallest;
                    }
                    sizes[smallest] = end - start;
                }
                start = end;
            }
        }
        List<List<String>> groups = new ArrayList<>();
        int[] groupOf = new int[n];
        Arrays.fill(groupOf, -1);
        for (int i = 0; i < n; i++) {
            int c = component[i];
            if (c < 0) {
                continue;
            }
            if (groupOf[c] < 0) {
                groupOf[c] = groups.size();
                groups.add(new ArrayList<>(sizes[c]));
            }
            groups.get(groupOf[c]).add(tensors.get(i).getKey());
        }
        return groups;
    }

    /** The storage index of a view's last element. */
    private static long last(Tensor t) {
        long[] shape = t.shape();
        long[] strides = t.stride();
        long end = t.storageOffset();
        for (int d = 0; d < shape.length; d++) {
            end += (shape[d] - 1) * strides[d];
        }
        return end;
    }
}
