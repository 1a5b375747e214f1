// A thin RAII layer over the HDF5 C API: just what the result writer and reader need.
//
// The header does not include <hdf5.h>. HDF5 is a PRIVATE dependency of attachsim_sim, so code
// that uses these wrappers (the reader, tests, the CLI) compiles without HDF5's include paths and
// macros. Handles are held as `Id`, which is `hid_t` (int64_t since HDF5 1.10; h5.cpp checks).
//
// Errors: every failure throws sim::RuntimeError whose message names the operation, the object
// path and HDF5's innermost error description. HDF5's automatic printing of its error stack to
// stderr is switched off by the functions that create or open a file.
//
// Thread safety: none. The serial HDF5 library must be used from one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace attachsim::sim::h5 {

using Id = std::int64_t;  // hid_t

// Owns one reference to an HDF5 identifier (file, group, dataset, attribute, dataspace, datatype
// or property list). The destructor releases it silently (releasing is not I/O on our side, but
// for a file HDF5 may flush): code that needs to know whether data reached the disk calls
// close(), which reports failure.
class Object {
 public:
  Object() noexcept = default;
  explicit Object(Id id) noexcept : id_(id) {}
  Object(Object&& other) noexcept : id_(other.id_) { other.id_ = -1; }
  Object& operator=(Object&& other) noexcept;
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;
  ~Object();

  Id id() const noexcept { return id_; }
  bool valid() const noexcept { return id_ >= 0; }

  // Releases the reference now; throws RuntimeError if HDF5 reports a failure (for a file: the
  // final flush, or objects of the file still open). The object is invalid afterwards either way.
  void close();

 private:
  Id id_ = -1;
};

enum class Kind { kGroup, kDataset, kOther };

// Chunking and filters of a dataset, as stored (for tests and diagnostics).
struct Storage {
  std::vector<std::size_t> chunk;  // empty when the dataset is not chunked
  bool shuffle = false;
  int deflate_level = -1;  // -1: no deflate filter
};

// --- files -------------------------------------------------------------------------------------

// Creates (truncating) a file for writing. The root group tracks link creation order, and the
// file uses the "semi" close degree: close() fails rather than silently deferring if an object of
// the file is still open, so a successful close() means everything was handed to the OS.
// `distributed` (MPI build only, else RuntimeError): every process of the job opens the file
// through MPI-IO; from then on every call on it is collective (docs/hpc.md): all processes create
// the same groups, datasets and attributes (with the same values) in the same order, and write
// data with write_slab.
Object create_file(const std::string& path, bool distributed = false);
// True when HDF5 here is the parallel (MPI) library.
bool parallel_library() noexcept;
// Opens an existing file read-only.
Object open_file(const std::string& path);
// True if `path` exists, is readable and has an HDF5 signature; never throws.
bool is_hdf5_file(const std::string& path) noexcept;
// Opens an existing file for reading and writing.
Object open_file_rw(const std::string& path);
// Removes a link (a group or dataset) from its parent group.
void remove_link(const Object& parent, const std::string& name);

// --- groups and links --------------------------------------------------------------------------

// Creates a group that tracks (and indexes) link creation order, so children() lists members in
// the order they were written, and attribute creation order. Names are stored as UTF-8.
Object create_group(const Object& parent, const std::string& name);
Object open_group(const Object& parent, const std::string& name);
// Opens the group at the relative `path` ("a/b/c"), creating each missing component with
// create_group. An empty path opens `parent` itself. Throws if a component is not a group.
Object require_group(const Object& parent, const std::string& path);
Object open_dataset(const Object& parent, const std::string& name);
// True if every component of the relative `path` ("a/b/c") exists under `parent`.
bool exists(const Object& parent, const std::string& path);
Kind kind(const Object& parent, const std::string& name);
// Names of the links in a group: in creation order where the group tracks it, else by name.
std::vector<std::string> children(const Object& group);

// --- attributes (scalar; an existing attribute of the same name is replaced) -------------------

// Variable-length UTF-8 string (h5py reads it as str). Text stops at an embedded NUL.
void write_string_attribute(const Object& object, const std::string& name,
                            const std::string& value);
void write_int_attribute(const Object& object, const std::string& name, std::int64_t value);
void write_uint_attribute(const Object& object, const std::string& name, std::uint64_t value);
void write_double_attribute(const Object& object, const std::string& name, double value);

bool has_attribute(const Object& object, const std::string& name);
// True if the attribute is a scalar string (what read_string_attribute reads).
bool is_string_attribute(const Object& object, const std::string& name);
// In creation order where the object tracks it (everything these functions create), else by name.
std::vector<std::string> attribute_names(const Object& object);
// Reads variable- or fixed-length strings (fixed-length padding is stripped).
std::string read_string_attribute(const Object& object, const std::string& name);
// Numeric reads convert from the stored type as HDF5 does (e.g. int32 -> int64); a value out of
// range of the requested type is an error.
std::int64_t read_int_attribute(const Object& object, const std::string& name);
std::uint64_t read_uint_attribute(const Object& object, const std::string& name);
double read_double_attribute(const Object& object, const std::string& name);

// --- datasets ----------------------------------------------------------------------------------
//
// Every dataset created here tracks attribute creation order (see attribute_names).

// Element types the readers tell apart (file types of any byte order).
enum class ElementType { kFloat32, kFloat64, kInt8, kOther };

// 1-D float64 dataset [values.size()], contiguous. Returns the open dataset (for attributes).
Object write_vector(const Object& parent, const std::string& name, std::span<const double> values);

// 2-D float32 dataset [rows x cols] from row-major `values` (rows * cols floats), chunked with
// whole rows per chunk (see matrix_chunk_shape) and filtered with shuffle + deflate level 4.
// An empty matrix (rows or cols 0) is stored contiguous and unfiltered, as HDF5 requires.
Object write_matrix(const Object& parent, const std::string& name, const float* values,
                    std::size_t rows, std::size_t cols);

// write_matrix in two steps, so that a writer can filter many matrices in one parallel phase
// and store them afterwards: filter_matrix shuffles and deflates the whole-row chunks of
// `values` in parallel (oneTBB; thread-safe, no HDF5 call), exactly as HDF5's pipeline would;
// write_filtered_matrix creates the dataset and stores the chunks (HDF5, one thread). The
// result is the same dataset as write_matrix's.
struct FilteredMatrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  const float* values = nullptr;  // kept when chunks split rows (HDF5 filters those itself)
  std::vector<std::vector<unsigned char>> chunks;
};
FilteredMatrix filter_matrix(const float* values, std::size_t rows, std::size_t cols);
Object write_filtered_matrix(const Object& parent, const std::string& name,
                             const FilteredMatrix& matrix);

// The chunk shape write_matrix uses: all columns (up to 32768) of as many rows as fit in about
// 128 KiB, at least one row, at most `rows`. Both extents must be > 0.
std::vector<std::size_t> matrix_chunk_shape(std::size_t rows, std::size_t cols);

// Datasets of rank 1 or 2 and any extents, from row-major `values` (the product of `shape`
// values; otherwise, or for another rank, RuntimeError). Storage depends on size: below
// kMinFilteredBytes of data (or with a zero extent) contiguous and unfiltered, since a chunk index
// and filter pipeline cost more than they could save on a few KiB; from kMinFilteredBytes up
// chunked as array_chunk_shape says and deflated at level 4, after the shuffle filter for float32
// (shuffle cannot help one-byte elements, so int8 is deflated only).
inline constexpr std::size_t kMinFilteredBytes = 4096;
Object write_float_array(const Object& parent, const std::string& name,
                         std::span<const float> values, std::span<const std::size_t> shape);
Object write_int8_array(const Object& parent, const std::string& name,
                        std::span<const std::int8_t> values, std::span<const std::size_t> shape);
// The same for rank 1 to 3 (rank 3: chunks of whole inner slabs) and 64-bit elements (sweeps).
Object write_double_array(const Object& parent, const std::string& name,
                          std::span<const double> values, std::span<const std::size_t> shape);
Object write_int64_array(const Object& parent, const std::string& name,
                         std::span<const std::int64_t> values, std::span<const std::size_t> shape);
Object write_uint64_array(const Object& parent, const std::string& name,
                          std::span<const std::uint64_t> values,
                          std::span<const std::size_t> shape);

// Datasets filled a slab of leading rows at a time (sweeps assemble points in batches): rank 1 to
// 3, chunked [rows_per_chunk, whole inner extents], shuffle + deflate 4. write_rows writes
// rows [first, first + count) from row-major `values` of the dataset's element type.
enum class Element { kFloat32, kFloat64, kInt64, kUInt64, kInt8 };
Object create_row_dataset(const Object& parent, const std::string& name, Element type,
                          std::span<const std::size_t> shape, std::size_t rows_per_chunk);
void write_rows(const Object& dataset, Element type, std::size_t first, std::size_t count,
                const void* values);

// A dataset written by several processes, each contributing a slab of leading rows (a distributed
// file), stored exactly as the serial writer named by `layout` stores it: kVector as
// write_vector (contiguous), kMatrix as write_matrix, kArray as write_float_array /
// write_int8_array / write_double_array. Creates the dataset with the global `shape` and writes
// rows [first, first + count) from row-major `values` (count x the inner extents); count may be 0.
// In a distributed file every process calls it with the same name, layout, type and shape, and
// the transfer is collective (filters run in parallel, HDF5 >= 1.10.2); in a serial file it must
// cover every row (first 0, count shape[0]) and is the serial writer.
enum class Layout { kVector, kMatrix, kArray };
Object write_slab(const Object& parent, const std::string& name, Layout layout, Element type,
                  std::span<const std::size_t> shape, std::size_t first, std::size_t count,
                  const void* values);

// The chunk shape of write_float_array and write_int8_array, for elements of `element_bytes`:
// 1-D, as many elements as fit in about 128 KiB; 2-D, as matrix_chunk_shape (all columns, up to
// 32768, of as many rows as fit). Never more than the extents; every extent must be > 0.
std::vector<std::size_t> array_chunk_shape(std::span<const std::size_t> shape,
                                           std::size_t element_bytes);

struct Matrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<float> values;  // row-major
};

// A dataset of any rank, row-major.
template <class T>
struct Array {
  std::vector<std::size_t> shape;
  std::vector<T> values;
};

std::vector<std::size_t> shape(const Object& dataset);
Storage storage(const Object& dataset);
ElementType element_type(const Object& dataset);
// Reads a 1-D numeric dataset, converted to float64.
std::vector<double> read_vector(const Object& parent, const std::string& name);
Array<double> read_double_array(const Object& parent, const std::string& name);
Array<std::uint64_t> read_uint64_array(const Object& parent, const std::string& name);
// Reads a 2-D numeric dataset, converted to float32.
Matrix read_matrix(const Object& parent, const std::string& name);
// Reads a numeric dataset of any rank, converted to float32.
Array<float> read_float_array(const Object& parent, const std::string& name);
// Reads a dataset stored as int8 (ElementType::kInt8), of any rank; any other type is an error
// (HDF5 would clip wider integers silently).
Array<std::int8_t> read_int8_array(const Object& parent, const std::string& name);

}  // namespace attachsim::sim::h5
