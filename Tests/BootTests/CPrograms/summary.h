/* summary.h — statistics of a sorted array (summary.c), for stats.c. */
struct summary { double mean, deviation, median; };
struct summary summarize(const double *sorted, int n);
