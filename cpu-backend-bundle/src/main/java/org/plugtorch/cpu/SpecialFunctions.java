package org.plugtorch.cpu;

/**
 * The error function and its complement in double precision, which {@code java.lang.Math} lacks: within about two
 * units in the last place over the whole range (checked against a 50-digit reference by the backend test kit).
 * Below 1 in magnitude, erf is its Taylor series; from 0.5 on, erfc is {@code exp(-x^2) * erfcx(x)}, the scaled
 * complement {@code erfcx} fitted by a Chebyshev interpolant on each of [0.5, 1), [1, 2), ..., [16, 32) and evaluated
 * as a polynomial, and {@code exp(-x^2)} is computed with the rounding of {@code x^2} corrected, which would
 * otherwise cost up to {@code 2x^2} ulps. The coefficients come from {@code src/build/fit-erfcx.py}.
 */
final class SpecialFunctions {
    /** Beyond it erfc underflows to zero in double precision. */
    private static final double ERFC_ZERO = 27.3;

    private SpecialFunctions() {}

    static double erf(double x) {
        double a = Math.abs(x);
        if (a < 1) {
            return x * erfSeries(x * x);
        }
        if (!(a < Double.POSITIVE_INFINITY)) {
            return x != x ? x : Math.copySign(1.0, x);
        }
        return Math.copySign(1 - erfcFromHalf(a), x);
    }

    static double erfc(double x) {
        if (x >= 0.5) {
            return erfcFromHalf(x);
        }
        if (x > -1) {
            return 1 - x * erfSeries(x * x);
        }
        return x != x ? x : 2 - erfcFromHalf(-x);
    }

    /** {@code erf(x) / x} for {@code z = x^2 < 1}: the Taylor series, with the factor {@code 2/sqrt(pi)} folded in. */
    private static double erfSeries(double z) {
        double p = -9.28672901131906e-25;
        p = p * z + 2.2308786802746453e-23;
        p = p * z + -5.136209054585811e-22;
        p = p * z + 1.131218725924631e-20;
        p = p * z + -2.3784598852774293e-19;
        p = p * z + 4.763348040515068e-18;
        p = p * z + -9.063970842808673e-17;
        p = p * z + 1.6342614095367152e-15;
        p = p * z + -2.7835162072109215e-14;
        p = p * z + 4.4632242632864775e-13;
        p = p * z + -6.7113668551641105e-12;
        p = p * z + 9.422759064650411e-11;
        p = p * z + -1.2290555301717928e-09;
        p = p * z + 1.4807192815879218e-08;
        p = p * z + -1.6365844691234924e-07;
        p = p * z + 1.6462114365889248e-06;
        p = p * z + -1.492565035840625e-05;
        p = p * z + 0.00012055332981789664;
        p = p * z + -0.0008548327023450853;
        p = p * z + 0.005223977625442188;
        p = p * z + -0.026866170645131252;
        p = p * z + 0.11283791670955126;
        p = p * z + -0.37612638903183754;
        p = p * z + 1.1283791670955126;
        return p;
    }

    /** erfc for {@code x >= 0.5} (and NaN-free). */
    private static double erfcFromHalf(double x) {
        if (x >= ERFC_ZERO) {
            return 0;
        }
        double square = x * x;
        double squareError = Math.fma(x, x, -square); // x * x == square + squareError exactly
        return Math.exp(-square) * (1 - squareError) * erfcx(x);
    }

    /** {@code exp(x^2) * erfc(x)} for {@code 0.5 <= x < 32}. */
    private static double erfcx(double x) {
        if (x < 1) {
            return erfcxHalf(4 * x - 3);
        }
        if (x < 2) {
            return erfcx1(2 * x - 3);
        }
        if (x < 4) {
            return erfcx2((2 * x - 6) / 2);
        }
        if (x < 8) {
            return erfcx4((2 * x - 12) / 4);
        }
        if (x < 16) {
            return erfcx8((2 * x - 24) / 8);
        }
        return erfcx16((2 * x - 48) / 16);
    }

    /** On [0.5, 1), in {@code t = 4x - 3} from -1 to 1. */
    private static double erfcxHalf(double t) {
        double p = -2.1463289279578493e-13;
        p = p * t + 2.585599367357183e-12;
        p = p * t + -2.940348914756972e-11;
        p = p * t + 3.306043556501409e-10;
        p = p * t + -3.5801438250789833e-09;
        p = p * t + 3.719545089633589e-08;
        p = p * t + -3.693562177597921e-07;
        p = p * t + 3.4885738732198706e-06;
        p = p * t + -3.114966996088564e-05;
        p = p * t + 0.00026090055675162256;
        p = p * t + -0.002028688468670001;
        p = p * t + 0.014434883221955935;
        p = p * t + -0.09199317291394885;
        p = p * t + 0.5069376502931449;
        return p;
    }

    /** On [1, 2), in {@code t = (2x - 3) / 1} from -1 to 1. */
    private static double erfcx1(double t) {
        double p = -2.653391343981901e-14;
        p = p * t + 2.0291817549924027e-13;
        p = p * t + -1.3992758101971656e-12;
        p = p * t + 1.0198183507810793e-11;
        p = p * t + -7.276757137420257e-11;
        p = p * t + 5.04660275957676e-10;
        p = p * t + -3.405755489104501e-09;
        p = p * t + 2.232841289840529e-08;
        p = p * t + -1.4191195815474282e-07;
        p = p * t + 8.723044760263366e-07;
        p = p * t + -5.171328643696019e-06;
        p = p * t + 2.9470857452441112e-05;
        p = p * t + -0.0001608111733745461;
        p = p * t + 0.0008360838095667819;
        p = p * t + -0.004116363162445329;
        p = p * t + 0.019037759963869347;
        p = p * t + -0.08181145886628004;
        p = p * t + 0.3215854164543175;
        return p;
    }

    /** On [2, 4), in {@code t = (2x - 6) / 2} from -1 to 1. */
    private static double erfcx2(double t) {
        double p = -3.32463503923892e-13;
        p = p * t + 1.6647790649164353e-12;
        p = p * t + -6.555844952443731e-12;
        p = p * t + 3.165046186861128e-11;
        p = p * t + -1.539306000137148e-10;
        p = p * t + 7.206556491473509e-10;
        p = p * t + -3.312780752600577e-09;
        p = p * t + 1.4977112890287265e-08;
        p = p * t + -6.646690382092543e-08;
        p = p * t + 2.8926692938101366e-07;
        p = p * t + -1.2333677143104898e-06;
        p = p * t + 5.146436493852072e-06;
        p = p * t + -2.0989464462229973e-05;
        p = p * t + 8.355413963925958e-05;
        p = p * t + -0.00032412554449670324;
        p = p * t + 0.0012230390523759822;
        p = p * t + -0.00447943101837258;
        p = p * t + 0.01588437115987136;
        p = p * t + -0.05437226000717287;
        p = p * t + 0.17900115118138996;
        return p;
    }

    /** On [4, 8), in {@code t = (2x - 12) / 4} from -1 to 1. */
    private static double erfcx4(double t) {
        double p = -8.531174133610087e-13;
        p = p * t + 3.2022608063710063e-12;
        p = p * t + -7.239925121260971e-12;
        p = p * t + 2.6516574843772023e-11;
        p = p * t + -1.0748095480327166e-10;
        p = p * t + 3.8895066124089896e-10;
        p = p * t + -1.381112199354957e-09;
        p = p * t + 4.913089106099897e-09;
        p = p * t + -1.7340406794222963e-08;
        p = p * t + 6.062505372899759e-08;
        p = p * t + -2.1004725830730658e-07;
        p = p * t + 7.210766433107766e-07;
        p = p * t + -2.45204695315907e-06;
        p = p * t + 8.257487438143972e-06;
        p = p * t + -2.7531014707775387e-05;
        p = p * t + 9.08505314291635e-05;
        p = p * t + -0.00029664123220931536;
        p = p * t + 0.0009580615952121717;
        p = p * t + -0.0030595855557640408;
        p = p * t + 0.009657787464897682;
        p = p * t + -0.030120706978104643;
        p = p * t + 0.09277656780053835;
        return p;
    }

    /** On [8, 16), in {@code t = (2x - 24) / 8} from -1 to 1. */
    private static double erfcx8(double t) {
        double p = -3.434648871597988e-12;
        p = p * t + 1.1071752713005102e-11;
        p = p * t + -1.670001162127769e-11;
        p = p * t + 5.319040801928988e-11;
        p = p * t + -2.137763712754226e-10;
        p = p * t + 6.794116928957748e-10;
        p = p * t + -2.092747157888705e-09;
        p = p * t + 6.608238802274673e-09;
        p = p * t + -2.0854586150350318e-08;
        p = p * t + 6.546191787465535e-08;
        p = p * t + -2.0483192651753135e-07;
        p = p * t + 6.390407742147068e-07;
        p = p * t + -1.9875421776079478e-06;
        p = p * t + 6.162327694442449e-06;
        p = p * t + -1.9045977430272558e-05;
        p = p * t + 5.8678514057553255e-05;
        p = p * t + -0.00018020184997030722;
        p = p * t + 0.0005516077713113356;
        p = p * t + -0.0016829798529769155;
        p = p * t + 0.005117890530344042;
        p = p * t + -0.015511450952249085;
        p = p * t + 0.04685422101489376;
        return p;
    }

    /** On [16, 32), in {@code t = (2x - 48) / 16} from -1 to 1. */
    private static double erfcx16(double t) {
        double p = -3.3405350865497224e-12;
        p = p * t + 1.0219969547339328e-11;
        p = p * t + -1.2868293429368607e-11;
        p = p * t + 3.9212716818495976e-11;
        p = p * t + -1.63026222373947e-10;
        p = p * t + 4.967004484953493e-10;
        p = p * t + -1.4535066758274675e-09;
        p = p * t + 4.420102056620403e-09;
        p = p * t + -1.3479090350587109e-08;
        p = p * t + 4.092253961719089e-08;
        p = p * t + -1.2411069982477825e-07;
        p = p * t + 3.7616775616968174e-07;
        p = p * t + -1.1391779152434534e-06;
        p = p * t + 3.4469220886709903e-06;
        p = p * t + -1.0420862812966705e-05;
        p = p * t + 3.1478021029043144e-05;
        p = p * t + -9.500395425932008e-05;
        p = p * t + 0.00028648739501745953;
        p = p * t + -0.0008631732770004608;
        p = p * t + 0.0025984725620955182;
        p = p * t + -0.007815648309966632;
        p = p * t + 0.02348754606368264;
        return p;
    }
}
