/* summary.c — mean, standard deviation and median of a sorted array (built into libsummary.a). */
#include <math.h>
#include "summary.h"

struct summary summarize(const double *sorted, int n) {
    struct summary s = { 0, 0, 0 };
    if (n == 0) return s;
    double sum = 0;
    for (int i = 0; i < n; i++) sum += sorted[i];
    s.mean = sum / n;
    double squares = 0;
    for (int i = 0; i < n; i++) squares += (sorted[i] - s.mean) * (sorted[i] - s.mean);
    s.deviation = sqrt(squares / n);
    s.median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return s;
}
