package org.plugtorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.tck.ReferenceDevices;

/** The generator draws PyTorch's numbers: compared with values recorded from PyTorch 1.13. */
class GeneratorTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static void assertValues(String key, Tensor actual, double tolerance) {
        assertEquals(PyTorchFixtures.dtype(key), actual.dtype(), key);
        assertArrayEquals(PyTorchFixtures.values(key), actual.toDoubleArray(), tolerance, key);
    }

    @Test
    void uniformSamplesAreBitForBitPyTorchs() {
        Generator.seedDefault(0);
        assertValues("rand_seed0_3", Tensor.rand(3), 0);
        Generator.seedDefault(2);
        assertValues(
                "rand_seed2_40_f64",
                Tensor.rand(new long[] {40}, DType.FLOAT64, Device.CPU, Generator.defaultGenerator()),
                0);
        Generator.seedDefault(3);
        assertValues("uniform_seed3_7", Tensor.zeros(7).uniform_(-2, 5), 0);
    }

    @Test
    void aFreshGeneratorHasPyTorchsDefaultSeed() {
        Generator g = new Generator(Generator.DEFAULT_SEED);
        assertValues("rand_default_generator_4", Tensor.rand(new long[] {4}, DType.FLOAT32, Device.CPU, g), 0);
        assertEquals(67280421310721L, g.initialSeed());
    }

    @Test
    void normalSamplesFollowPyTorchsTwoAlgorithms() {
        Generator.seedDefault(0);
        Tensor.rand(3);
        assertValues("randn_after_rand", Tensor.randn(3), 1e-6);
        Generator.seedDefault(0);
        // 16 or more float32 samples: PyTorch's vectorised Box-Muller (its log/sin/cos are approximations)
        assertValues("randn_seed0_20", Tensor.randn(20), 2e-6);
        Generator.seedDefault(0);
        assertValues(
                "randn_seed0_5_f64",
                Tensor.randn(new long[] {5}, DType.FLOAT64, Device.CPU, Generator.defaultGenerator()),
                1e-15);
        Generator.seedDefault(1);
        assertValues(
                "randn_seed1_33_f64",
                Tensor.randn(new long[] {33}, DType.FLOAT64, Device.CPU, Generator.defaultGenerator()),
                1e-14);
        Generator.seedDefault(4);
        assertValues("normal_seed4_17", Tensor.zeros(17).normal_(1, 3), 1e-5);
    }

    @Test
    void aSeedReplaysTheSameSequenceOnEveryDevice() {
        Tensor onCpu = Tensor.randn(new long[] {6}, DType.FLOAT32, Device.CPU, new Generator(9));
        Tensor onFake = Tensor.randn(new long[] {6}, DType.FLOAT32, ReferenceDevices.FAKE, new Generator(9));
        assertEquals(ReferenceDevices.FAKE, onFake.device());
        assertArrayEquals(onCpu.toFloatArray(), onFake.toFloatArray());
    }
}
