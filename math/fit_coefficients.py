#!/usr/bin/env python3
"""Minimax (Remez) fits of the polynomials in VectorMath / ScalarMath (math/activations.md, math/gelu.md).

Needs only mpmath (Debian: python3-mpmath). Prints every coefficient as a Java float literal in hex,
with the weighted max error of the fit before rounding to float. Not run by CI: the coefficients are
committed in kernel/simd/VectorMath.java and checked there by the accuracy tests.

    python3 math/fit_coefficients.py
"""
import struct
import mpmath as mp

mp.mp.dps = 30


def to_float(v):
    """Round to the nearest IEEE single."""
    return struct.unpack('<f', struct.pack('<f', float(v)))[0]


def java_hex(v):
    """A float as an exact Java hex literal, e.g. 0x1.62e4p-1f."""
    f = to_float(v)
    if f == 0:
        return '0f'
    h = float(f).hex()  # like '-0x1.62e4000000000p-1'
    mant, exp = h.split('p')
    mant = mant.rstrip('0')
    if mant.endswith('.'):
        mant = mant[:-1]
    return mant + 'p' + exp + 'f'


def remez(f, w, basis, lo, hi, n, grid=6000, iters=40):
    """Coefficients c of sum c_j*basis(j, x) minimising max |w(x)*(P(x) - f(x))| on [lo, hi]."""
    xs = [lo + (hi - lo) * (1 - mp.cos(mp.pi * (i + 0.5) / grid)) / 2 for i in range(grid)]
    fx = [f(x) for x in xs]
    wx = [w(x) for x in xs]
    # initial reference: Chebyshev extrema mapped to the interval
    ref = [lo + (hi - lo) * (1 - mp.cos(mp.pi * i / n)) / 2 for i in range(n + 1)]
    best = None
    for _ in range(iters):
        A = mp.matrix(n + 1, n + 1)
        b = mp.matrix(n + 1, 1)
        for i, x in enumerate(ref):
            for j in range(n):
                A[i, j] = basis(j, x)
            A[i, n] = (-1) ** i / w(x)
            b[i] = f(x)
        sol = mp.lu_solve(A, b)
        c = [sol[j] for j in range(n)]
        err = [wx[i] * (sum(c[j] * basis(j, xs[i]) for j in range(n)) - fx[i]) for i in range(grid)]
        # local extrema of the error, merged into sign-alternating runs
        ext = []
        for i in range(grid):
            e = err[i]
            left = err[i - 1] if i > 0 else None
            right = err[i + 1] if i < grid - 1 else None
            if (left is None or abs(e) >= abs(left)) and (right is None or abs(e) >= abs(right)):
                ext.append(i)
        runs = []
        for i in ext:
            s = mp.sign(err[i])
            if runs and mp.sign(err[runs[-1]]) == s:
                if abs(err[i]) > abs(err[runs[-1]]):
                    runs[-1] = i
            else:
                runs.append(i)
        while len(runs) > n + 1:  # drop the smaller end
            if abs(err[runs[0]]) < abs(err[runs[-1]]):
                runs.pop(0)
            else:
                runs.pop()
        maxerr = max(abs(e) for e in err)
        best = (c, maxerr)
        if len(runs) < n + 1:
            break
        ref = [xs[i] for i in runs]
        levels = [abs(err[i]) for i in runs]
        if max(levels) / min(levels) - 1 < mp.mpf('1e-6'):
            break
    return best


def remez_float(f, w, basis, lo, hi, n, **kw):
    """Remez, then float-aware: round the coefficients to float and greedily nudge each by a few
    float ulps while that lowers the weighted max error (evaluated exactly on a dense grid)."""
    c, err = remez(f, w, basis, lo, hi, n, **kw)
    xs = [lo + (hi - lo) * (1 - mp.cos(mp.pi * (i + 0.5) / 1500)) / 2 for i in range(1500)]
    fx = [f(x) for x in xs]
    wx = [w(x) for x in xs]
    bx = [[basis(j, x) for j in range(n)] for x in xs]

    def maxerr(cf):
        return max(abs(wx[i] * (sum(cf[j] * bx[i][j] for j in range(n)) - fx[i])) for i in range(len(xs)))

    cf = [mp.mpf(to_float(v)) for v in c]
    best = maxerr(cf)
    improved = True
    while improved:
        improved = False
        for j in range(n):
            for step in (1, -1, 2, -2, 4, -4):
                trial = list(cf)
                ulp = mp.mpf(abs(to_float(cf[j]))) * mp.mpf(2) ** -23 if cf[j] != 0 else mp.mpf(2) ** -149
                trial[j] = mp.mpf(to_float(cf[j] + step * ulp))
                e = maxerr(trial)
                if e < best:
                    cf, best, improved = trial, e, True
                    break
    print(f'// float coefficients: weighted max error {mp.nstr(best, 4)} (exact {mp.nstr(err, 4)})')
    return cf, err


def report(name, c, maxerr, names):
    print(f'// {name}: weighted max error {mp.nstr(maxerr, 4)} before rounding to float')
    for nm, v in zip(names, c):
        print(f'  static final float {nm} = {java_hex(v)}; // {mp.nstr(v, 12)}')
    print()


LN2 = mp.log(2)


def expm1_core():
    """Q(t) ~ (e^t - 1 - t)/t^2 on the reduced range |t| <= ln2/2, so expm1(t) = t + t^2 Q(t).

    Weight t^2/|expm1(t)|: the relative error of expm1(t) (and, since |expm1 t| <= e^t there, also
    a bound on the relative error of e^t = 1 + expm1 t)."""
    r = LN2 / 2 * (1 + mp.mpf('1e-5'))

    def f(t):
        return (mp.expm1(t) - t) / (t * t) if t != 0 else mp.mpf(1) / 2

    def w(t):
        return t * t / abs(mp.expm1(t)) if t != 0 else mp.mpf('1e-30')

    c, e = remez_float(f, w, lambda j, t: t ** j, -r, r, 5)
    report('expm1 core Q, expm1(t) = t + t^2 (q0 + q1 t + ... + q4 t^4)', c, e, [f'Q{j}' for j in range(5)])


GELU_K = mp.mpf(3)
GELU_AMAX = mp.mpf('13.5')


def mills(a):
    """m(a) = (1 - Phi(a)) e^{a^2/2} = erfcx(a/sqrt2)/2."""
    return mp.erfc(a / mp.sqrt(2)) * mp.exp(a * a / 2) / 2


def gelu_tail():
    """G(u) ~ m(a) (a + K), u = (a - K)/(a + K), a in [0, AMAX] (math/gelu.md)."""
    K = GELU_K
    lo, hi = mp.mpf(-1), (GELU_AMAX - K) / (GELU_AMAX + K)

    def a_of(u):
        return K * (1 + u) / (1 - u)

    def f(u):
        a = a_of(u)
        return mills(a) * (a + K)

    c, e = remez_float(f, lambda u: 1 / f(u), lambda j, u: u ** j, lo, hi, 10, grid=3000)
    report(f'gelu tail G(u), K = {K}, m(a) = G((a-K)/(a+K))/(a+K)', c, e, [f'G{j}' for j in range(10)])


ERF_SMALL = mp.mpf('0.875')


def erf_small():
    """erf(t) = t E(t^2) for |t| <= ERF_SMALL, relative error."""
    def f(s):
        t = mp.sqrt(s)
        return mp.erf(t) / t if s != 0 else 2 / mp.sqrt(mp.pi)

    c, e = remez_float(f, lambda s: 1 / f(s), lambda j, s: s ** j, mp.mpf(0), ERF_SMALL ** 2, 6, grid=2000)
    report(f'erf small branch E(s), s = t^2, |t| <= {ERF_SMALL}', c, e, [f'E{j}' for j in range(6)])


if __name__ == '__main__':
    print(f'// ln2 split for Cody-Waite: LN2_HI = {java_hex(to_float(mp.mpf(float.fromhex("0x1.62e4p-1"))))}, '
          f'LN2_LO = {java_hex(LN2 - mp.mpf(float.fromhex("0x1.62e4p-1")))}, LOG2E = {java_hex(1 / LN2)}')
    print()
    expm1_core()
    gelu_tail()
    erf_small()
