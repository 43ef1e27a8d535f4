package org.plugtorch.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Generator;
import org.plugtorch.PyTorchFixtures;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** Linear, ReLU, Identity and the containers, against numbers recorded from PyTorch 1.13. */
class LayersTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    @Test
    void linearInitialisesAsPyTorchDoesUnderTheSameSeed() {
        Generator.seedDefault(0);
        Linear l = new Linear(3, 3);
        assertArrayEquals(PyTorchFixtures.values("linear3x3_seed0_weight"), l.weight.toDoubleArray(), 1e-7);
        assertArrayEquals(PyTorchFixtures.values("linear3x3_seed0_bias"), l.bias.toDoubleArray(), 1e-7);
        assertArrayEquals(new long[] {3, 3}, l.weight.shape());
    }

    @Test
    void linearComputesXTimesWTransposedPlusB() {
        Generator.seedDefault(0);
        Linear l = new Linear(5, 2);
        Tensor x = Tensor.randn(4, 5);
        assertArrayEquals(PyTorchFixtures.values("linear5x2_seed0_weight"), l.weight.toDoubleArray(), 1e-7);
        assertArrayEquals(PyTorchFixtures.values("linear5x2_seed0_x"), x.toDoubleArray(), 2e-6);
        Tensor y = l.forward(x);
        assertArrayEquals(new long[] {4, 2}, y.shape());
        assertArrayEquals(PyTorchFixtures.values("linear5x2_seed0_y"), y.toDoubleArray(), 1e-5);
    }

    @Test
    void linearAcceptsVectorsAndBatchesOfAnyRank() {
        Linear l = new Linear(3, 2);
        assertArrayEquals(new long[] {2}, l.forward(Tensor.ones(3)).shape());
        Tensor batch = Tensor.randn(2, 5, 3);
        Tensor y = l.forward(batch);
        assertArrayEquals(new long[] {2, 5, 2}, y.shape());
        assertArrayEquals(l.forward(batch.get(1, 4)).toFloatArray(), y.get(1, 4).toFloatArray(), 1e-6f);
        assertEquals(
                "mat1 and mat2 shapes cannot be multiplied (2x4 and 3x2)",
                assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.ones(2, 4)))
                        .getMessage());
        assertEquals(
                "mat1 and mat2 shapes cannot be multiplied (10x4 and 3x2)",
                assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.ones(2, 5, 4)))
                        .getMessage());
        assertEquals(
                "mat1 and mat2 must have the same dtype",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> l.forward(Tensor.ones(2, 3).to(DType.FLOAT64)))
                        .getMessage());
    }

    @Test
    void linearWithoutBiasHasAnEmptySlot() {
        Linear l = new Linear(2, 3, false);
        assertNull(l.bias);
        assertEquals(List.of("weight"), List.copyOf(l.namedParameters().keySet()));
        Tensor x = Tensor.ones(1, 2);
        assertArrayEquals(x.matmul(l.weight.t()).toFloatArray(), l.forward(x).toFloatArray());
    }

    @Test
    void aTiedLinearComputesWithTheTiedWeight() {
        Linear a = new Linear(2, 2);
        Linear b = new Linear(2, 2, false);
        b.registerParameter("weight", a.weight);
        Tensor x = Tensor.randn(3, 2);
        assertArrayEquals(x.matmul(a.weight.t()).toFloatArray(), b.forward(x).toFloatArray());
    }

    @Test
    void reluAndIdentity() {
        Tensor x = Tensor.of(-1f, 0f, 2f);
        assertArrayEquals(new float[] {0, 0, 2}, new ReLU().forward(x).toFloatArray());
        assertSame(x, new Identity().forward(x));
    }

    @Test
    void sequentialNamesChildrenByPositionAndChainsThem() {
        Linear first = new Linear(3, 4);
        Linear last = new Linear(4, 2);
        Sequential s = new Sequential(first, new ReLU(), last);
        assertEquals(List.of("0", "1", "2"), List.copyOf(s.namedChildren().keySet()));
        assertEquals(
                List.of("0.weight", "0.bias", "2.weight", "2.bias"),
                List.copyOf(s.stateDict().keySet()));
        Tensor x = Tensor.randn(5, 3);
        assertArrayEquals(
                last.forward(first.forward(x).relu()).toFloatArray(),
                s.forward(x).toFloatArray());
        assertSame(last, s.get(-1));
        assertEquals(3, s.size());
        assertEquals(
                "index 3 is out of range",
                assertThrows(IndexOutOfBoundsException.class, () -> s.get(3)).getMessage());
        s.add(new Identity());
        assertEquals(4, s.size());
    }

    @Test
    void moduleListRegistersItsElements() {
        ModuleList list = new ModuleList(new Linear(2, 2), new Linear(2, 2));
        Module owner = new Module();
        owner.registerModule("layers", list);
        assertEquals(
                List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"),
                List.copyOf(owner.namedParameters().keySet()));
        ReLU r = new ReLU();
        list.set(-1, r);
        assertSame(r, list.get(1));
        assertEquals(2, list.toList().size());
    }

    @Test
    void moduleDictKeepsInsertionOrderAndNameRules() {
        LinkedHashMap<String, Module> m = new LinkedHashMap<>();
        m.put("zeta", new Linear(1, 1));
        m.put("alpha", new ReLU());
        ModuleDict d = new ModuleDict(m);
        assertEquals(List.of("zeta", "alpha"), d.keys());
        assertEquals(
                List.of("zeta.weight", "zeta.bias"), List.copyOf(d.stateDict().keySet()));
        assertEquals(
                "module name can't contain \".\", got: a.b",
                assertThrows(IllegalArgumentException.class, () -> d.put("a.b", new ReLU()))
                        .getMessage());
        assertEquals(
                "attribute 'keys' already exists",
                assertThrows(IllegalArgumentException.class, () -> d.put("keys", new ReLU()))
                        .getMessage());
        assertSame(m.get("alpha"), d.remove("alpha"));
        assertEquals(List.of("zeta"), d.keys());
        assertEquals(1, d.size());
    }
}
