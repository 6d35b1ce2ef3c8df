// Must not compile: ctest (layering.model_cannot_include_hdf5) builds it with the model library's flags, and
// HDF5's headers are on the engine's include path only. The test passes only on the compiler's "not found".
#include <hdf5.h>
