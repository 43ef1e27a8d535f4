package org.plugtorch.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.registry.Backends;
import org.plugtorch.spi.Backend;

/**
 * The frontend-level test kit: runs {@link Tensor} programs (moves, broadcasting element-wise ops, in-place updates
 * of views, reductions, matrix products, views then ops, casts) on the backend's device and on a private device
 * served by {@link ReferenceBackend}, and compares the two. So the whole path is checked (type promotion,
 * broadcasting, views and moves in the runtime, then the kernels) against an oracle that shares no kernel code with
 * any backend, the CPU backend included.
 *
 * <p>It relies on {@link Backends}: the backend under test is registered, with the highest ranking, for the duration
 * of the class if it does not serve its device already, and the reference serves device {@code tckref:0}. When no
 * backend serves {@code cpu} (a GPU module's tests), a reference serves it too, for the few CPU-side steps
 * (contiguous copies before a move). Each program builds its inputs on the host from a seed (its name).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TensorTck {
    private static final Device REFERENCE = Device.of("tckref", 0);

    private final List<Backend> registered = new ArrayList<>();
    private Device device;
    private String unavailable;

    /** The backend under test; called once per test class. */
    protected abstract Backend backend();

    /** The device to test on: by default the backend's first device. */
    protected Device device(Backend backend) {
        return backend.devices().get(0).device();
    }

    /** A program over host inputs: {@code on} moves a host tensor to the device the program runs on. */
    @FunctionalInterface
    protected interface Program {
        Tensor run(Function<Tensor, Tensor> on);
    }

    /**
     * An unavailable backend skips every program, each reported as skipped with the reason: an assumption failing in
     * {@code @BeforeAll} would abort the class before its dynamic tests exist, and Surefire then reports nothing at
     * all (zero tests, zero skipped), which reads like a pass.
     */
    @BeforeAll
    void registerBackends() {
        Backend backend = backend();
        if (backend.unavailableReason() != null) {
            unavailable = backend.deviceType() + " backend unavailable: " + backend.unavailableReason();
            return;
        }
        device = device(backend);
        if (!serves(backend, device)) {
            register(backend, Integer.MAX_VALUE);
        }
        register(new ReferenceBackend(REFERENCE.type()), 0);
        if (!Backends.devices().contains(Device.CPU)) {
            register(new ReferenceBackend(), Integer.MIN_VALUE);
        }
    }

    private void register(Backend b, int ranking) {
        Backends.register(b, ranking);
        registered.add(b);
    }

    private static boolean serves(Backend backend, Device device) {
        try {
            return Backends.forDevice(device) == backend;
        } catch (IllegalStateException notServed) {
            return false;
        }
    }

    @AfterAll
    void unregisterBackends() {
        registered.forEach(Backends::unregister);
        registered.clear();
    }

    /** A test comparing {@code program} on the device under test with the same on the reference device. */
    protected final DynamicTest program(String name, Function<Random, Program> inputs) {
        return DynamicTest.dynamicTest(name, () -> {
            Assumptions.assumeTrue(unavailable == null, () -> unavailable);
            Program p = inputs.apply(new Random(0x7E45_0F_7C4L ^ name.hashCode()));
            Tensor actual = p.run(t -> t.to(device));
            Tensor expected = p.run(t -> t.to(REFERENCE));
            Device expectedDevice = expected.device().equals(REFERENCE) ? device : expected.device();
            TensorComparison.assertMatches(name, actual, expectedDevice, expected, REFERENCE);
        });
    }

    // ---- host inputs ----

    static Tensor randn(Random r, long... shape) {
        float[] v = new float[(int) TckLayout.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.fromArray(v, shape);
    }

    static Tensor randn64(Random r, long... shape) {
        double[] v = new double[(int) TckLayout.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Tensor.fromArray(v, shape);
    }

    /** float32 in [0.5, 2): logs, roots and long products stay tame. */
    static Tensor positive(Random r, long... shape) {
        float[] v = new float[(int) TckLayout.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.5f + 1.5f * r.nextFloat();
        }
        return Tensor.fromArray(v, shape);
    }

    /** float32 zeros and ones: many ties. */
    static Tensor zerosAndOnes(Random r, long... shape) {
        float[] v = new float[(int) TckLayout.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(2);
        }
        return Tensor.fromArray(v, shape);
    }

    static Tensor longs(Random r, int bound, long... shape) {
        long[] v = new long[(int) TckLayout.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(2 * bound + 1) - bound;
        }
        return Tensor.fromArray(v, shape);
    }

    static Tensor ints(Random r, int bound, long... shape) {
        int[] v = new int[(int) TckLayout.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(2 * bound + 1) - bound;
        }
        return Tensor.fromArray(v, shape);
    }

    static Tensor bools(Random r, long... shape) {
        boolean[] v = new boolean[(int) TckLayout.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextBoolean();
        }
        return Tensor.fromArray(v, shape);
    }

    // ---- programs ----

    @TestFactory
    List<DynamicNode> moves() {
        return List.of(
                program("float32 cpu -> device -> cpu", r -> {
                    Tensor x = randn(r, 3, 4, 5);
                    return on -> on.apply(x).cpu();
                }),
                program("float64, int64, int32, bool cpu -> device -> cpu", r -> {
                    Tensor a = randn64(r, 7);
                    Tensor b = longs(r, 1000, 7);
                    Tensor c = ints(r, 1000, 7);
                    Tensor d = bools(r, 7);
                    return on -> Tensor.of(new double[] {
                        on.apply(a).cpu().sub(a).abs().sum().item(),
                        on.apply(b).cpu().eq(b).logicalNot().sum().item(),
                        on.apply(c).cpu().eq(c).logicalNot().sum().item(),
                        on.apply(d).cpu().eq(d).logicalNot().sum().item()
                    });
                }),
                program("a transposed host view moved to the device", r -> {
                    Tensor x = randn(r, 4, 6);
                    return on -> on.apply(x.t());
                }),
                program("a strided device view moved to the host", r -> {
                    Tensor x = randn(r, 5, 8);
                    return on -> on.apply(x).slice(1, 1, 8, 3).t().cpu();
                }),
                program("copy_ of a host tensor into a transposed device view, broadcasting", r -> {
                    Tensor src = randn(r, 3);
                    Tensor zeros = Tensor.zeros(3, 4);
                    return on -> {
                        Tensor dst = on.apply(zeros);
                        dst.t().copy_(src);
                        return dst;
                    };
                }),
                program("item and itemLong read device scalars", r -> {
                    Tensor x = randn(r, 6);
                    Tensor n = longs(r, 50, 6);
                    return on -> Tensor.of(new double[] {
                        on.apply(x).sum().item(), on.apply(n).sum().itemLong()
                    });
                }));
    }

    @TestFactory
    List<DynamicNode> elementwise() {
        return List.of(
                program("add with broadcasting [3, 1, 4] + [5, 4]", r -> {
                    Tensor x = randn(r, 3, 1, 4);
                    Tensor y = randn(r, 5, 4);
                    return on -> on.apply(x).add(on.apply(y));
                }),
                program("sub, mul and div by Python numbers", r -> {
                    Tensor x = randn(r, 4, 5);
                    return on -> on.apply(x).sub(1.5).mul(-2.0).div(3.0).add(7L);
                }),
                program("int32 tensor + int number stays int32", r -> {
                    Tensor x = ints(r, 1000, 6, 2);
                    return on -> on.apply(x).add(5L).mul(3L);
                }),
                program("int64 / int64 is float32 true division", r -> {
                    Tensor x = longs(r, 100, 5, 3);
                    Tensor y = longs(r, 9, 5, 3);
                    return on -> on.apply(x).div(on.apply(y));
                }),
                program("int64 tensor * float number becomes float32", r -> {
                    Tensor x = longs(r, 100, 8);
                    return on -> on.apply(x).mul(0.25);
                }),
                program("float32 + float64 tensor promotes to float64", r -> {
                    Tensor x = randn(r, 4, 3);
                    Tensor y = randn64(r, 3);
                    return on -> on.apply(x).add(on.apply(y));
                }),
                program("int32 arithmetic wraps around", r -> {
                    Tensor x = Tensor.of(Integer.MAX_VALUE, Integer.MIN_VALUE, 65536, -7);
                    return on -> on.apply(x).add(on.apply(x)).mul(on.apply(x));
                }),
                program("pow with numbers and tensors", r -> {
                    Tensor x = positive(r, 3, 4);
                    Tensor e = randn(r, 4);
                    return on -> on.apply(x)
                            .pow(2.0)
                            .add(on.apply(x).pow(0.5))
                            .add(on.apply(x).pow(on.apply(e)));
                }),
                program("integer pow, negative exponents included", r -> {
                    Tensor b = Tensor.of(2L, -1L, 1L, 0L, 3L, -1L);
                    Tensor e = Tensor.of(3L, -3L, -5L, 2L, -1L, 4L);
                    return on -> on.apply(b).pow(on.apply(e));
                }),
                program("maximum, minimum and clamp, with NaN", r -> {
                    Tensor x = Tensor.of(1f, Float.NaN, -0f, 3f, -2f, Float.POSITIVE_INFINITY);
                    Tensor y = Tensor.of(0.5f, 2f, 0f, Float.NaN, -3f, 1f);
                    return on -> on.apply(x)
                            .maximum(on.apply(y))
                            .add(on.apply(x).minimum(on.apply(y)))
                            .add(on.apply(x).clamp(-1, 2));
                }),
                program("comparisons with tensors and numbers", r -> {
                    Tensor x = longs(r, 3, 4, 5);
                    Tensor y = longs(r, 3, 5);
                    return on -> on.apply(x)
                            .gt(on.apply(y))
                            .logicalOr(on.apply(x).le(1.0))
                            .logicalAnd(on.apply(x).ne(on.apply(y)))
                            .logicalNot();
                }),
                program("where with a broadcast condition", r -> {
                    Tensor c = bools(r, 4, 1);
                    Tensor x = randn(r, 4, 6);
                    Tensor y = randn(r, 6);
                    return on -> Tensor.where(on.apply(c), on.apply(x), on.apply(y));
                }),
                program("unary chain", r -> {
                    Tensor x = randn(r, 5, 7);
                    return on -> on.apply(x)
                            .neg()
                            .abs()
                            .add(0.1)
                            .sqrt()
                            .log()
                            .sigmoid()
                            .tanh()
                            .sin()
                            .cos()
                            .exp()
                            .reciprocal()
                            .rsqrt()
                            .relu()
                            .sign();
                }),
                program("square, relu and sign of int64", r -> {
                    Tensor x = longs(r, 20, 9);
                    return on ->
                            on.apply(x).square().sub(50L).relu().add(on.apply(x).sign());
                }),
                program("bool arithmetic: add is or, mul is and", r -> {
                    Tensor a = bools(r, 10);
                    Tensor b = bools(r, 10);
                    return on -> on.apply(a).add(on.apply(b)).mul(on.apply(b));
                }));
    }

    @TestFactory
    List<DynamicNode> inPlace() {
        return List.of(
                program("add_ with broadcasting, then mul_ by a number", r -> {
                    Tensor x = randn(r, 3, 4);
                    Tensor y = randn(r, 4);
                    return on -> on.apply(x).clone().add_(on.apply(y)).mul_(2.0);
                }),
                program("add_ on a transposed view writes through to its base", r -> {
                    Tensor x = randn(r, 3, 4);
                    return on -> {
                        Tensor base = on.apply(x).clone();
                        base.t().add_(1.0);
                        return base;
                    };
                }),
                program("fill_ of a narrowed view and zero_ of a stepped slice", r -> {
                    Tensor x = randn(r, 4, 6);
                    return on -> {
                        Tensor base = on.apply(x).clone();
                        base.narrow(1, 1, 2).fill_(3.0);
                        base.slice(0, 0, 4, 2).zero_();
                        return base;
                    };
                }),
                program("x.add_(x) in place on itself", r -> {
                    Tensor x = randn(r, 5);
                    return on -> {
                        Tensor t = on.apply(x).clone();
                        return t.add_(t);
                    };
                }),
                program("int32 add_ and mul_ of int32 tensors", r -> {
                    Tensor x = ints(r, 100, 7);
                    Tensor y = ints(r, 100, 7);
                    return on -> on.apply(x).clone().add_(on.apply(y)).mul_(on.apply(x));
                }));
    }

    @TestFactory
    List<DynamicNode> reductions() {
        return List.of(
                program("sum of everything", r -> {
                    Tensor x = randn(r, 7, 33);
                    return on -> on.apply(x).sum();
                }),
                program("sum over dim 0 with keepdim, and over dims (0, 2)", r -> {
                    Tensor x = randn(r, 4, 5, 6);
                    return on -> on.apply(x).sum(0, true).sum(new int[] {0, 2}, false);
                }),
                program("mean, var and std over dims", r -> {
                    Tensor x = randn(r, 6, 9);
                    return on -> on.apply(x)
                            .mean(1, false)
                            .add(on.apply(x).var(new int[] {1}, true, false))
                            .add(on.apply(x).std(new int[] {1}, false, false));
                }),
                program("amax and amin", r -> {
                    Tensor x = randn(r, 3, 4, 5);
                    return on -> on.apply(x)
                            .amax(new int[] {-1}, false)
                            .sub(on.apply(x).amin(new int[] {0, 2}, true).squeeze());
                }),
                program("argmax and argmin of the flattened tensor, with ties", r -> {
                    Tensor x = longs(r, 2, 4, 6);
                    return on -> Tensor.of(
                            on.apply(x).argmax().itemLong(),
                            on.apply(x).argmin().itemLong());
                }),
                program("argmax along a dim, with ties", r -> {
                    Tensor x = longs(r, 2, 4, 6);
                    return on -> on.apply(x).argmax(1, false);
                }),
                program("argmin along a dim with keepdim, with ties", r -> {
                    Tensor x = zerosAndOnes(r, 4, 6);
                    return on -> on.apply(x).argmin(0, true);
                }),
                program("max and min with NaN", r -> {
                    Tensor x = Tensor.of(1f, 5f, Float.NaN, -2f);
                    return on -> Tensor.of(new double[] {
                        on.apply(x).max().item(),
                        on.apply(x).min().item(),
                        on.apply(x).argmax().itemLong()
                    });
                }),
                program("prod of values near one", r -> {
                    Tensor x = positive(r, 30);
                    return on -> on.apply(x).prod();
                }),
                program("int32 and bool sums are int64", r -> {
                    Tensor x = ints(r, 1000, 5, 6);
                    Tensor b = bools(r, 5, 6);
                    return on -> on.apply(x).sum(1, false).add(on.apply(b).sum(1, false));
                }),
                program("softmax, log_softmax and logsumexp", r -> {
                    Tensor x = randn(r, 4, 10);
                    return on -> on.apply(x)
                            .softmax(1)
                            .add(on.apply(x).logSoftmax(0))
                            .add(on.apply(x).logsumexp(new int[] {1}, true));
                }),
                program("sum over a permuted view", r -> {
                    Tensor x = randn(r, 3, 4, 5);
                    return on -> on.apply(x).permute(2, 0, 1).sum(new int[] {1}, false);
                }),
                program("sum over zero elements is 0, prod is 1", r -> {
                    Tensor x = Tensor.zeros(3, 0);
                    return on -> on.apply(x).sum(1, false).add(on.apply(x).prod());
                }));
    }

    @TestFactory
    List<DynamicNode> matmul() {
        return List.of(
                program("mm [17, 23] @ [23, 9]", r -> {
                    Tensor a = randn(r, 17, 23);
                    Tensor b = randn(r, 23, 9);
                    return on -> on.apply(a).mm(on.apply(b));
                }),
                program("linear: x @ W.t() + b", r -> {
                    Tensor x = randn(r, 8, 20);
                    Tensor w = randn(r, 12, 20);
                    Tensor b = randn(r, 12);
                    return on -> on.apply(x).matmul(on.apply(w).t()).add(on.apply(b));
                }),
                program("batched with broadcast [2, 1, 3, 4] @ [5, 4, 2]", r -> {
                    Tensor a = randn(r, 2, 1, 3, 4);
                    Tensor b = randn(r, 5, 4, 2);
                    return on -> on.apply(a).matmul(on.apply(b));
                }),
                program("dot, matrix-vector and vector-matrix", r -> {
                    Tensor v = randn(r, 10);
                    Tensor m = randn(r, 6, 10);
                    Tensor n = randn(r, 10, 4);
                    return on -> on.apply(m)
                            .matmul(on.apply(v))
                            .sum()
                            .add(on.apply(v).matmul(on.apply(v)))
                            .add(on.apply(v).matmul(on.apply(n)));
                }),
                program("transposed left operand", r -> {
                    Tensor a = randn(r, 11, 7);
                    Tensor b = randn(r, 11, 5);
                    return on -> on.apply(a).t().matmul(on.apply(b));
                }),
                program("int64 and float64 products", r -> {
                    Tensor a = longs(r, 20, 4, 6);
                    Tensor b = longs(r, 20, 6, 3);
                    Tensor c = randn64(r, 4, 6);
                    Tensor d = randn64(r, 6, 3);
                    return on -> on.apply(a)
                            .matmul(on.apply(b))
                            .to(DType.FLOAT64)
                            .add(on.apply(c).matmul(on.apply(d)));
                }),
                program("large enough to block and thread: [96, 160] @ [160, 200]", r -> {
                    Tensor a = randn(r, 96, 160);
                    Tensor b = randn(r, 160, 200);
                    return on -> on.apply(a).matmul(on.apply(b));
                }));
    }

    @TestFactory
    List<DynamicNode> viewsThenOps() {
        return List.of(
                program("transpose then contiguous", r -> {
                    Tensor x = randn(r, 4, 7);
                    return on -> on.apply(x).transpose(0, 1).contiguous();
                }),
                program("stepped slice times a permuted tensor", r -> {
                    Tensor x = randn(r, 3, 10);
                    Tensor y = randn(r, 5, 3);
                    return on -> on.apply(x).slice(1, 1, 10, 2).mul(on.apply(y).permute(1, 0));
                }),
                program("expand then mul, select then add", r -> {
                    Tensor x = randn(r, 1, 4);
                    Tensor y = randn(r, 3, 4);
                    return on -> on.apply(x)
                            .expand(3, 4)
                            .mul(on.apply(y))
                            .add(on.apply(y).select(0, 2));
                }),
                program("reshape of a non-contiguous view, then sum", r -> {
                    Tensor x = randn(r, 4, 6);
                    return on -> on.apply(x).t().reshape(3, 8).sum(0, false);
                }),
                program("flatten, unsqueeze, squeeze and narrow", r -> {
                    Tensor x = randn(r, 2, 3, 4);
                    return on -> on.apply(x)
                            .flatten()
                            .unsqueeze(0)
                            .narrow(1, 5, 10)
                            .squeeze()
                            .mul(2.0);
                }),
                program("get and a view of a view", r -> {
                    Tensor x = randn(r, 3, 4, 5);
                    return on -> on.apply(x).get(1).t().slice(0, 1, 5, 2).add(1.0);
                }));
    }

    @TestFactory
    List<DynamicNode> casts() {
        return List.of(
                program("float32 to int32 and int64 truncates toward zero", r -> {
                    Tensor x = Tensor.of(2.7f, -2.7f, 0.5f, -0.5f, 1e6f, -0f);
                    return on -> on.apply(x)
                            .to(DType.INT32)
                            .to(DType.INT64)
                            .add(on.apply(x).to(DType.INT64));
                }),
                program("to bool is != 0, NaN included", r -> {
                    Tensor x = Tensor.of(0f, -0f, 2f, Float.NaN, -1e-30f);
                    return on -> on.apply(x).to(DType.BOOL);
                }),
                program("int, bool and float64 to float32", r -> {
                    Tensor a = longs(r, 1000, 5);
                    Tensor b = bools(r, 5);
                    Tensor c = randn64(r, 5);
                    return on -> on.apply(a)
                            .to(DType.FLOAT32)
                            .add(on.apply(b).to(DType.FLOAT32))
                            .add(on.apply(c).to(DType.FLOAT32));
                }),
                program("equal and allclose on the device", r -> {
                    Tensor x = randn(r, 6);
                    return on -> Tensor.of(new boolean[] {
                        on.apply(x).equal(on.apply(x).clone()),
                        on.apply(x).allclose(on.apply(x).add(1e-9), 1e-5, 1e-8),
                        on.apply(x).equal(on.apply(x).add(1.0))
                    });
                }));
    }

    /** A test of the device's result against values PyTorch gives, where agreeing with the reference is not enough. */
    protected final DynamicTest known(
            String name, Function<Function<Tensor, Tensor>, Object> program, Object expected) {
        return DynamicTest.dynamicTest(name, () -> {
            Assumptions.assumeTrue(unavailable == null, () -> unavailable);
            Object actual = program.apply(t -> t.to(device));
            if (expected instanceof double[]) {
                org.junit.jupiter.api.Assertions.assertArrayEquals((double[]) expected, (double[]) actual, 1e-6, name);
            } else if (expected instanceof long[]) {
                org.junit.jupiter.api.Assertions.assertArrayEquals((long[]) expected, (long[]) actual, name);
            } else {
                org.junit.jupiter.api.Assertions.assertEquals(expected, actual, name);
            }
        });
    }

    @TestFactory
    List<DynamicNode> knownAnswers() {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        return List.of(
                known(
                        "allclose: NaN is never close",
                        on -> on.apply(Tensor.of(1f, nan)).allclose(on.apply(Tensor.of(1f, nan)), 1e-5, 1e-8),
                        false),
                known(
                        "allclose: an infinity is close to itself only",
                        on -> List.of(
                                on.apply(Tensor.of(inf, -inf)).allclose(on.apply(Tensor.of(inf, -inf)), 1e-5, 1e-8),
                                on.apply(Tensor.of(1f)).allclose(on.apply(Tensor.of(inf)), 1e-5, 1e-8),
                                on.apply(Tensor.of(inf)).allclose(on.apply(Tensor.of(-inf)), 1e-5, 1e-8)),
                        List.of(true, false, false)),
                known(
                        "allclose within tolerance",
                        on -> on.apply(Tensor.of(1f, 2f)).allclose(on.apply(Tensor.of(1f, 2.00001f)), 1e-5, 1e-8),
                        true),
                known(
                        "equal: NaN is never equal",
                        on -> on.apply(Tensor.of(nan)).equal(on.apply(Tensor.of(nan))),
                        false),
                known(
                        "mean and unbiased var of [1, 2, 3, 4]",
                        on -> new double[] {
                            on.apply(Tensor.of(1f, 2f, 3f, 4f)).mean().item(),
                            on.apply(Tensor.of(1f, 2f, 3f, 4f)).var().item()
                        },
                        new double[] {2.5, 5.0 / 3}),
                known(
                        "softmax of equal logits is uniform",
                        on -> on.apply(Tensor.of(new float[][] {{0f, 0f}, {3f, 3f}}))
                                .softmax(1)
                                .toDoubleArray(),
                        new double[] {0.5, 0.5, 0.5, 0.5}),
                known(
                        "int32 + 2.5 is float32",
                        on -> on.apply(Tensor.of(1, 2)).add(2.5).dtype(),
                        DType.FLOAT32),
                known(
                        "argmax takes the first of equal maxima",
                        on -> new long[] {
                            on.apply(Tensor.of(1f, 3f, 3f, 2f)).argmax().itemLong()
                        },
                        new long[] {1}),
                known(
                        "maximum(-0, 0) is -0, as in PyTorch",
                        on -> Float.floatToRawIntBits(on.apply(Tensor.of(-0f))
                                .maximum(on.apply(Tensor.of(0f)))
                                .toFloatArray()[0]),
                        Float.floatToRawIntBits(-0f)),
                known(
                        "1 ** NaN is 1",
                        on -> on.apply(Tensor.of(1f)).pow(Double.NaN).toDoubleArray(),
                        new double[] {1}));
    }
}
