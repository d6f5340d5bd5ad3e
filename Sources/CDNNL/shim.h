// oneDNN (the oneAPI Deep Neural Network Library, Debian's libdnnl-dev): its C API.
#include <oneapi/dnnl/dnnl.h>

// Debian's oneDNN runs its primitives on OpenMP (GNU libgomp). The number of threads is the calling
// thread's OpenMP setting, which no oneDNN call sets; omp.h is not on Swift's include path, so the
// two routines aesweep calls are declared here as libgomp exports them.
void omp_set_num_threads(int count);
int omp_get_max_threads(void);
