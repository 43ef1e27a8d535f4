package org.plugtorch.cpu;

import static org.plugtorch.spi.Preconditions.checkState;

import java.util.Locale;

/**
 * Which float32 GEMM the backend runs, and why: the Vector API kernel ({@link VectorFloatGemm}) when the JVM has
 * {@code jdk.incubator.vector} in its boot layer and this class loader can see it, else the plain Java one
 * ({@link FloatGemm}). The choice is made once per backend and reported in its device description, never silently.
 *
 * <p>The vector class is touched only after the module check, inside a {@code LinkageError} guard, so the scalar path
 * runs on a JVM started without {@code --add-modules jdk.incubator.vector} (and in an OSGi framework whose system
 * bundle does not export the package, where the bundle's optional import stays unwired).
 */
final class GemmPath {
    /** {@code auto} (the default), {@code vector} (fail when unavailable) or {@code scalar}. */
    static final String PROPERTY = "plugtorch.cpu.gemm";

    static final String MODULE = "jdk.incubator.vector";

    private final boolean vector;
    private final String summary;
    private final String description;

    private GemmPath(boolean vector, String summary, String description) {
        this.vector = vector;
        this.summary = summary;
        this.description = description;
    }

    /** The path the {@link #PROPERTY} system property asks for. */
    static GemmPath fromSystemProperty() {
        return of(System.getProperty(PROPERTY, "auto"));
    }

    /**
     * The path for a request of {@code auto}, {@code vector} or {@code scalar}.
     *
     * @throws IllegalStateException when {@code vector} is asked for and unavailable, saying why
     * @throws IllegalArgumentException for any other request
     */
    static GemmPath of(String request) {
        String r = request.trim().toLowerCase(Locale.ROOT);
        switch (r) {
            case "scalar":
                return scalar("forced by " + PROPERTY + "=scalar or the backend's constructor");
            case "vector":
            case "auto": {
                String whyNot = vectorUnavailableReason();
                if (whyNot == null) {
                    return new GemmPath(true, VectorFloatGemm.summary(), VectorFloatGemm.description());
                }
                checkState(!r.equals("vector"), () -> "the Vector API gemm was asked for but " + whyNot);
                return scalar(whyNot);
            }
            default:
                throw new IllegalArgumentException("unknown gemm path '" + request + "' (from " + PROPERTY
                        + " or the backend's constructor): use auto, vector or scalar");
        }
    }

    private static GemmPath scalar(String why) {
        return new GemmPath(
                false,
                "scalar (" + why + ")",
                "scalar: blocked Java, " + FloatGemm.KC + "x" + FloatGemm.NC + " packed panels, superword inner loop ("
                        + why + ")");
    }

    /** Null when the Vector API kernel can run here, else why not. */
    static String vectorUnavailableReason() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return MODULE + " is not in the boot layer; start the JVM with --add-modules " + MODULE;
        }
        try {
            if (VectorFloatGemm.LANES < 4) {
                return "the Vector API's preferred float species has only " + VectorFloatGemm.LANES
                        + " lanes on this CPU";
            }
            return null;
        } catch (LinkageError e) {
            return MODULE + " is in the boot layer but this class loader cannot link it (" + e
                    + "); under OSGi the system bundle must export " + MODULE
                    + " (org.osgi.framework.system.packages.extra)";
        }
    }

    boolean vector() {
        return vector;
    }

    /** For the device's name: the path in a few words, and for the scalar path why. */
    String summary() {
        return summary;
    }

    /** For the device's properties: which kernel and its blocking, and for the scalar path why. */
    String description() {
        return description;
    }

    /** The float32 kernel for one call. */
    Matmul.Tiles floatKernel(float[] c, int[] cl, float[] a, int[] al, float[] b, int[] bl, int k) {
        return vector ? new VectorFloatGemm(c, cl, a, al, b, bl, k) : new FloatGemm(c, cl, a, al, b, bl, k);
    }

    @Override
    public String toString() {
        return "gemm: " + summary;
    }
}
