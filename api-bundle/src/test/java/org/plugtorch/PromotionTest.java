package org.plugtorch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.plugtorch.tck.ReferenceDevices;

/** Type promotion matches PyTorch's result_type for every pair, as recorded from PyTorch 1.13. */
class PromotionTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static Tensor tensor(DType d, boolean zeroDim) {
        return zeroDim ? Tensor.zeros(new long[0], d, Device.CPU) : Tensor.zeros(new long[] {2}, d, Device.CPU);
    }

    @TestFactory
    List<DynamicTest> tensorsPromoteAsInPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType a : DType.values()) {
            for (DType b : DType.values()) {
                for (String kind : List.of("dim", "zero")) {
                    String key = "promote." + a.torchName() + "." + kind + "." + b.torchName();
                    tests.add(DynamicTest.dynamicTest(key, () -> {
                        DType expected = DType.parse(PyTorchFixtures.fact(key));
                        Tensor x = tensor(a, false);
                        Tensor y = tensor(b, kind.equals("zero"));
                        if (a == DType.BOOL && b == DType.BOOL) {
                            assertEquals(expected, x.logicalOr(y).dtype());
                        } else {
                            assertEquals(expected, x.mul(y).dtype());
                            assertEquals(expected, x.maximum(y).dtype());
                        }
                    }));
                }
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> javaNumbersPromoteAsPythonNumbers() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType a : DType.values()) {
            tests.add(DynamicTest.dynamicTest(
                    a.torchName() + " * long",
                    () -> assertEquals(
                            DType.parse(PyTorchFixtures.fact("promote." + a.torchName() + ".number.int")),
                            tensor(a, false).mul(1L).dtype())));
            tests.add(DynamicTest.dynamicTest(
                    a.torchName() + " * double",
                    () -> assertEquals(
                            DType.parse(PyTorchFixtures.fact("promote." + a.torchName() + ".number.float")),
                            tensor(a, false).mul(1.5).dtype())));
        }
        return tests;
    }
}
