// Cumulative distribution functions the regression tests need: the standard normal and
// Student's t (through the regularized incomplete beta function). Pure functions; thread-safe.
#pragma once

namespace slowscope::stats {

// P(Z <= x) for a standard normal Z.
double normal_cdf(double x);

// P(T <= t) for Student's t with `df` > 0 degrees of freedom (need not be whole).
double student_t_cdf(double t, double df);

// I_x(a, b), the regularized incomplete beta function, for a, b > 0 and 0 <= x <= 1.
double regularized_incomplete_beta(double a, double b, double x);

}  // namespace slowscope::stats
