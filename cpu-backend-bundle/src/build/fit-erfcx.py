"""Fits the scaled complementary error function erfcx(x) = exp(x^2) erfc(x) on [0.5, 1), [1, 2), [2, 4), ...,
[16, 32) by Chebyshev interpolation at 50 digits (mpmath), converts each fit to a polynomial in t from -1 to 1, and
prints the Horner bodies that SpecialFunctions.java (and, as kernel code, the OpenCL backend's DeviceProgram) carry.
Also prints the Taylor series of erf(x)/x in x^2 with 2/sqrt(pi) folded in. Each interval is within about one ulp.

    python3 fit-erfcx.py
"""
from mpmath import mp, mpf, erfc, exp, cos, pi, factorial, sqrt

mp.dps = 60
INTERVALS = [(0.5, 1, 14), (1, 2, 18), (2, 4, 20), (4, 8, 22), (8, 16, 22), (16, 32, 22)]


def erfcx(x):
    return exp(x * x) * erfc(x)


def chebyshev(f, a, b, n):
    nodes = [cos(pi * (k + mpf(0.5)) / n) for k in range(n)]
    values = [f((b - a) / 2 * t + (b + a) / 2) for t in nodes]
    c = [2 * sum(values[k] * cos(pi * j * (k + mpf(0.5)) / n) for k in range(n)) / n for j in range(n)]
    c[0] /= 2
    return c


def monomial(c):
    t = [[mpf(1)], [mpf(0), mpf(1)]]
    for j in range(2, len(c)):
        nxt = [mpf(0)] * (j + 1)
        for i, v in enumerate(t[j - 1]):
            nxt[i + 1] += 2 * v
        for i, v in enumerate(t[j - 2]):
            nxt[i] -= v
        t.append(nxt)
    m = [mpf(0)] * len(c)
    for j, cj in enumerate(c):
        for i, v in enumerate(t[j]):
            m[i] += cj * v
    return [float(v) for v in m]


def horner(coefficients, var):
    lines = ["double p = %r;" % coefficients[-1]]
    lines += ["p = p * %s + %r;" % (var, v) for v in reversed(coefficients[:-1])]
    return "\n".join(lines)


for a, b, n in INTERVALS:
    print("// [%s, %s): t = (2x - %s) / %s" % (a, b, a + b, b - a))
    print(horner(monomial(chebyshev(erfcx, mpf(a), mpf(b), n)), "t"))
print("// erf(x) / x in z = x^2")
print(horner([float((-1) ** k / (factorial(k) * (2 * k + 1)) * 2 / sqrt(pi)) for k in range(24)], "z"))
