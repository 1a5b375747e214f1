#include "sim/h5.hpp"

#include <hdf5.h>
#include <tbb/parallel_for.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <numeric>
#include <type_traits>

#include "sim/errors.hpp"
#include "sim/resources.hpp"

#ifdef H5_HAVE_PARALLEL
#include <mpi.h>
#endif

namespace attachsim::sim::h5 {

static_assert(std::is_same_v<hid_t, Id>, "h5::Id must be hid_t (HDF5 >= 1.10)");

namespace {

constexpr std::size_t kChunkBytes = 128 * 1024;
constexpr std::size_t kMaxChunkCols = 32768;
constexpr unsigned kDeflateLevel = 4;

// The library's default handler prints the whole error stack to stderr; we report through
// exceptions instead. Idempotent, and cheap enough to call at every file entry point.
//
// It is also the library's first use, where HDF5's own shutdown at exit is switched off in the
// serial build: after a failed write (a full disk) a file the library could not flush stays open
// inside it, and its atexit shutdown then retries the flush and crashed (SIGSEGV in
// H5F__close_cb, exit 139 instead of 1). Every file we write is closed explicitly before it is
// renamed into place, so nothing is lost by leaving the rest to the operating system. (The MPI
// build keeps the shutdown: parallel HDF5 ties it to MPI_Finalize.)
void silence_hdf5() {
#ifndef ATTACHSIM_MPI
  static const bool no_shutdown_at_exit = [] { return H5dont_atexit() >= 0; }();
  (void)no_shutdown_at_exit;
#endif
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

herr_t take_innermost(unsigned n, const H5E_error2_t* error, void* data) {
  if (n == 0 && error->desc != nullptr) *static_cast<std::string*>(data) = error->desc;
  return 0;
}

// Walking upward starts at the most specific entry ("unable to open file: ... No such file or
// directory"), which says more than the API-level "unable to open file".
// A failed system call's entry ("file write failed: time = ..., filename = ..., errno = 28, error
// message = 'No space left on device', buf = ...") is reduced to its operating-system message.
std::string take_error_description() {
  std::string description;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, take_innermost, &description);
  H5Eclear2(H5E_DEFAULT);
  const std::string marker = "error message = '";
  if (const auto at = description.find(marker); at != std::string::npos) {
    const auto begin = at + marker.size();
    const auto end = description.find('\'', begin);
    const auto colon = description.find(':');
    const std::string what = colon != std::string::npos ? description.substr(0, colon) : "";
    if (end != std::string::npos) {
      description = (what.empty() ? "" : what + ": ") + description.substr(begin, end - begin);
    }
  }
  return description;
}

[[noreturn]] void fail(const std::string& what) {
  const std::string detail = take_error_description();
  throw RuntimeError("HDF5: " + what + (detail.empty() ? "" : ": " + detail));
}

std::string path_of(const Object& object) {
  const ssize_t size = H5Iget_name(object.id(), nullptr, 0);
  if (size <= 0) {
    H5Eclear2(H5E_DEFAULT);
    return "?";
  }
  std::string name(static_cast<std::size_t>(size) + 1, '\0');
  H5Iget_name(object.id(), name.data(), name.size());
  name.resize(static_cast<std::size_t>(size));
  return name;
}

std::string path_of(const Object& parent, const std::string& name) {
  std::string base = path_of(parent);
  if (base.empty() || base.back() != '/') base += '/';
  return base + name;
}

Object checked(hid_t id, const std::string& what) {
  if (id < 0) fail(what);
  return Object(id);
}

void check(herr_t status, const std::string& what) {
  if (status < 0) fail(what);
}

Object plist(hid_t plist_class) { return checked(H5Pcreate(plist_class), "cannot create plist"); }

// Link names are UTF-8 so that non-ASCII arm names round-trip as str in h5py.
Object utf8_link_plist() {
  Object lcpl = plist(H5P_LINK_CREATE);
  check(H5Pset_char_encoding(lcpl.id(), H5T_CSET_UTF8), "cannot set link name encoding");
  return lcpl;
}

Object utf8_string_type() {
  Object type = checked(H5Tcopy(H5T_C_S1), "cannot create string type");
  check(H5Tset_size(type.id(), H5T_VARIABLE), "cannot create string type");
  check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "cannot create string type");
  return type;
}

template <class T>
void write_scalar_attribute(const Object& object, const std::string& name, hid_t file_type,
                            hid_t memory_type, const T* value) {
  const std::string what = "cannot write attribute '" + name + "' of '" + path_of(object) + "'";
  const htri_t present = H5Aexists(object.id(), name.c_str());
  if (present < 0) fail(what);
  if (present > 0) check(H5Adelete(object.id(), name.c_str()), what);
  Object space = checked(H5Screate(H5S_SCALAR), what);
  Object attribute = checked(
      H5Acreate2(object.id(), name.c_str(), file_type, space.id(), H5P_DEFAULT, H5P_DEFAULT), what);
  check(H5Awrite(attribute.id(), memory_type, value), what);
  attribute.close();
}

Object open_scalar_attribute(const Object& object, const std::string& name,
                             const std::string& what) {
  Object attribute = checked(H5Aopen(object.id(), name.c_str(), H5P_DEFAULT), what);
  Object space = checked(H5Aget_space(attribute.id()), what);
  if (H5Sget_simple_extent_npoints(space.id()) != 1) {
    throw RuntimeError("HDF5: " + what + ": not a scalar attribute");
  }
  return attribute;
}

template <class T>
T read_scalar_attribute(const Object& object, const std::string& name, hid_t memory_type) {
  const std::string what = "cannot read attribute '" + name + "' of '" + path_of(object) + "'";
  Object attribute = open_scalar_attribute(object, name, what);
  T value{};
  check(H5Aread(attribute.id(), memory_type, &value), what);
  return value;
}

herr_t collect_link_name(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

herr_t collect_attribute_name(hid_t, const char* name, const H5A_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

std::vector<hsize_t> dataset_dims(const Object& dataset, const std::string& what) {
  Object space = checked(H5Dget_space(dataset.id()), what);
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0) fail(what);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0) check(H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr), what);
  return dims;
}

// The number of elements a dataset declares, refused (RuntimeError) before anything is allocated
// when holding them would not fit in this process's memory: a file's declared extents are not
// trusted (a chunked dataset can declare any extent at no cost on disk), and their product is
// computed in floating point so that it cannot wrap around.
std::size_t declared_count(const std::vector<hsize_t>& dims, std::size_t element_bytes,
                           const std::string& what) {
  double count = 1.0;
  for (const hsize_t d : dims) count *= static_cast<double>(d);
  const double bytes = count * static_cast<double>(element_bytes);
  if (bytes > process_limits().memory_bytes) {
    throw RuntimeError("HDF5: " + what + ": its extent declares " + std::to_string(count) +
                       " values, more than this process's memory can hold");
  }
  return static_cast<std::size_t>(count);
}

// Dataset creation properties every writer starts from: attributes listed in creation order.
Object dataset_plist(const std::string& what) {
  Object dcpl = plist(H5P_DATASET_CREATE);
  check(H5Pset_attr_creation_order(dcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
  return dcpl;
}

Object create_dataset(const Object& parent, const std::string& name, hid_t type,
                      const std::vector<hsize_t>& dims, hid_t dcpl, const std::string& what) {
  Object space =
      checked(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), what);
  Object lcpl = utf8_link_plist();
  return checked(
      H5Dcreate2(parent.id(), name.c_str(), type, space.id(), lcpl.id(), dcpl, H5P_DEFAULT), what);
}

std::size_t product(std::span<const std::size_t> extents) {
  return std::accumulate(extents.begin(), extents.end(), std::size_t{1}, std::multiplies<>());
}

// write_array's storage: small data contiguous, else chunked (array_chunk_shape) and deflated,
// after the shuffle filter for multi-byte elements.
void set_array_storage(const Object& dcpl, std::span<const std::size_t> shape,
                       std::size_t element_bytes, const std::string& what) {
  if (product(shape) * element_bytes < kMinFilteredBytes) return;
  const std::vector<std::size_t> chunk = array_chunk_shape(shape, element_bytes);
  const std::vector<hsize_t> chunk_dims(chunk.begin(), chunk.end());
  check(H5Pset_chunk(dcpl.id(), static_cast<int>(chunk_dims.size()), chunk_dims.data()), what);
  if (element_bytes > 1) check(H5Pset_shuffle(dcpl.id()), what);
  check(H5Pset_deflate(dcpl.id(), kDeflateLevel), what);
}

// write_matrix's storage: chunks of whole rows (matrix_chunk_shape), shuffle + deflate; an
// empty matrix contiguous.
void set_matrix_storage(const Object& dcpl, std::size_t rows, std::size_t cols,
                        const std::string& what) {
  if (rows == 0 || cols == 0) return;
  const std::vector<std::size_t> chunk = matrix_chunk_shape(rows, cols);
  const hsize_t chunk_dims[2] = {chunk[0], chunk[1]};
  check(H5Pset_chunk(dcpl.id(), 2, chunk_dims), what);
  check(H5Pset_shuffle(dcpl.id()), what);
  check(H5Pset_deflate(dcpl.id(), kDeflateLevel), what);
}

Object write_array(const Object& parent, const std::string& name, hid_t file_type,
                   hid_t memory_type, std::size_t element_bytes, const void* values,
                   std::size_t n_values, std::span<const std::size_t> shape) {
  const std::string what = "cannot write dataset '" + path_of(parent, name) + "'";
  if (shape.empty() || shape.size() > 3) {
    throw RuntimeError("HDF5: " + what + ": rank " + std::to_string(shape.size()) +
                       " (only 1 to 3 supported)");
  }
  const std::size_t count = product(shape);
  if (count != n_values) {
    throw RuntimeError("HDF5: " + what + ": " + std::to_string(n_values) +
                       " values for a shape of " + std::to_string(count));
  }
  Object dcpl = dataset_plist(what);
  set_array_storage(dcpl, shape, element_bytes, what);
  Object dataset =
      create_dataset(parent, name, file_type, {shape.begin(), shape.end()}, dcpl.id(), what);
  if (count > 0) {
    check(H5Dwrite(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), what);
  }
  return dataset;
}

template <class T>
Array<T> read_array(const Object& dataset, hid_t memory_type, const std::string& what) {
  const std::vector<hsize_t> dims = dataset_dims(dataset, what);
  const std::size_t count = declared_count(dims, sizeof(T), what);
  Array<T> array;
  array.shape.assign(dims.begin(), dims.end());
  array.values.resize(count);
  if (!array.values.empty()) {
    check(H5Dread(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, array.values.data()),
          what);
  }
  return array;
}

}  // namespace

// --- Object ------------------------------------------------------------------------------------

Object& Object::operator=(Object&& other) noexcept {
  if (this != &other) {
    if (id_ >= 0) H5Idec_ref(id_);
    id_ = other.id_;
    other.id_ = -1;
  }
  return *this;
}

Object::~Object() {
  if (id_ >= 0) H5Idec_ref(id_);
}

void Object::close() {
  if (id_ < 0) return;
  const hid_t id = id_;
  id_ = -1;
  const bool is_file = H5Iget_type(id) == H5I_FILE;
  // H5Fclose rather than H5Idec_ref for files, so the close degree check and the flush report.
  if ((is_file ? H5Fclose(id) : H5Idec_ref(id)) < 0) fail("cannot close object");
}

// --- files -------------------------------------------------------------------------------------

bool parallel_library() noexcept {
#ifdef H5_HAVE_PARALLEL
  return true;
#else
  return false;
#endif
}

Object create_file(const std::string& path, bool distributed) {
  silence_hdf5();
  const std::string what = "cannot create file '" + path + "'";
  Object fcpl = plist(H5P_FILE_CREATE);
  check(H5Pset_link_creation_order(fcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
  Object fapl = plist(H5P_FILE_ACCESS);
  check(H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_SEMI), what);
  if (distributed) {
#ifdef H5_HAVE_PARALLEL
    check(H5Pset_fapl_mpio(fapl.id(), MPI_COMM_WORLD, MPI_INFO_NULL), what);
    // Metadata is read and written collectively (one process does the I/O and broadcasts)
    // instead of by every process: the file has thousands of small objects.
    check(H5Pset_all_coll_metadata_ops(fapl.id(), true), what);
    check(H5Pset_coll_metadata_write(fapl.id(), true), what);
#else
    throw RuntimeError("HDF5: " + what + ": a distributed file needs the MPI build (docs/hpc.md)");
#endif
  }
  return checked(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.id(), fapl.id()), what);
}

Object open_file(const std::string& path) {
  silence_hdf5();
  return checked(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
                 "cannot open file '" + path + "'");
}

Object open_file_rw(const std::string& path) {
  silence_hdf5();
  return checked(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT),
                 "cannot open file '" + path + "' for writing");
}

void remove_link(const Object& parent, const std::string& name) {
  check(H5Ldelete(parent.id(), name.c_str(), H5P_DEFAULT),
        "cannot remove '" + path_of(parent, name) + "'");
}

bool is_hdf5_file(const std::string& path) noexcept {
  silence_hdf5();
  // Only a regular file: opening a FIFO would wait for a writer forever.
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return false;
  if (::access(path.c_str(), R_OK) != 0) return false;
  const htri_t result = H5Fis_hdf5(path.c_str());
  H5Eclear2(H5E_DEFAULT);
  return result > 0;
}

// --- groups and links --------------------------------------------------------------------------

Object create_group(const Object& parent, const std::string& name) {
  const std::string what = "cannot create group '" + path_of(parent, name) + "'";
  Object gcpl = plist(H5P_GROUP_CREATE);
  check(H5Pset_link_creation_order(gcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
  check(H5Pset_attr_creation_order(gcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
  Object lcpl = utf8_link_plist();
  return checked(H5Gcreate2(parent.id(), name.c_str(), lcpl.id(), gcpl.id(), H5P_DEFAULT), what);
}

Object require_group(const Object& parent, const std::string& path) {
  // Opening "." gives a new reference to `parent`, so the loop needs no special first step.
  Object group = open_group(parent, ".");
  std::size_t start = 0;
  while (start < path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string name = path.substr(start, end - start);
    const htri_t present = H5Lexists(group.id(), name.c_str(), H5P_DEFAULT);
    if (present < 0) fail("cannot look up '" + path_of(group, name) + "'");
    group = present > 0 ? open_group(group, name) : create_group(group, name);
    start = end + 1;
  }
  return group;
}

Object open_group(const Object& parent, const std::string& name) {
  return checked(H5Gopen2(parent.id(), name.c_str(), H5P_DEFAULT),
                 "cannot open group '" + path_of(parent, name) + "'");
}

Object open_dataset(const Object& parent, const std::string& name) {
  return checked(H5Dopen2(parent.id(), name.c_str(), H5P_DEFAULT),
                 "cannot open dataset '" + path_of(parent, name) + "'");
}

bool exists(const Object& parent, const std::string& path) {
  if (path.empty()) return false;
  // H5Lexists fails (rather than answering false) when an intermediate link is missing, so test
  // each prefix in turn.
  std::size_t end = 0;
  while (end != std::string::npos) {
    end = path.find('/', end + 1);
    const std::string prefix = path.substr(0, end);
    const htri_t present = H5Lexists(parent.id(), prefix.c_str(), H5P_DEFAULT);
    if (present <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
  }
  return true;
}

Kind kind(const Object& parent, const std::string& name) {
  // The object header's basic information, without opening the object (opening a dataset sets
  // up its caches: many times the cost, for readers that walk a file).
  const std::string what = "cannot open object '" + path_of(parent, name) + "'";
#if H5_VERSION_GE(1, 12, 0)
  H5O_info2_t info{};
  check(H5Oget_info_by_name3(parent.id(), name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT), what);
#else
  H5O_info_t info{};
  check(H5Oget_info_by_name2(parent.id(), name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT), what);
#endif
  switch (info.type) {
    case H5O_TYPE_GROUP:
      return Kind::kGroup;
    case H5O_TYPE_DATASET:
      return Kind::kDataset;
    default:
      return Kind::kOther;
  }
}

std::vector<std::string> children(const Object& group) {
  std::vector<std::string> names;
  hsize_t index = 0;
  if (H5Literate(group.id(), H5_INDEX_CRT_ORDER, H5_ITER_INC, &index, collect_link_name, &names) >=
      0) {
    return names;
  }
  // The group does not track creation order (e.g. written by another tool): fall back to names.
  H5Eclear2(H5E_DEFAULT);
  names.clear();
  index = 0;
  check(H5Literate(group.id(), H5_INDEX_NAME, H5_ITER_INC, &index, collect_link_name, &names),
        "cannot list group '" + path_of(group) + "'");
  return names;
}

// --- attributes --------------------------------------------------------------------------------

void write_string_attribute(const Object& object, const std::string& name,
                            const std::string& value) {
  Object type = utf8_string_type();
  const char* text = value.c_str();
  write_scalar_attribute(object, name, type.id(), type.id(), &text);
}

void write_int_attribute(const Object& object, const std::string& name, std::int64_t value) {
  write_scalar_attribute(object, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

void write_uint_attribute(const Object& object, const std::string& name, std::uint64_t value) {
  write_scalar_attribute(object, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &value);
}

void write_double_attribute(const Object& object, const std::string& name, double value) {
  write_scalar_attribute(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

bool has_attribute(const Object& object, const std::string& name) {
  const htri_t present = H5Aexists(object.id(), name.c_str());
  if (present < 0) fail("cannot query attribute '" + name + "' of '" + path_of(object) + "'");
  return present > 0;
}

bool is_string_attribute(const Object& object, const std::string& name) {
  const std::string what = "cannot read attribute '" + name + "' of '" + path_of(object) + "'";
  Object attribute = checked(H5Aopen(object.id(), name.c_str(), H5P_DEFAULT), what);
  Object type = checked(H5Aget_type(attribute.id()), what);
  Object space = checked(H5Aget_space(attribute.id()), what);
  return H5Tget_class(type.id()) == H5T_STRING && H5Sget_simple_extent_npoints(space.id()) == 1;
}

std::vector<std::string> attribute_names(const Object& object) {
  std::vector<std::string> names;
  hsize_t index = 0;
  if (H5Aiterate2(object.id(), H5_INDEX_CRT_ORDER, H5_ITER_INC, &index, collect_attribute_name,
                  &names) >= 0) {
    return names;
  }
  // Creation order is not tracked (older files, other tools): fall back to names.
  H5Eclear2(H5E_DEFAULT);
  names.clear();
  index = 0;
  check(
      H5Aiterate2(object.id(), H5_INDEX_NAME, H5_ITER_INC, &index, collect_attribute_name, &names),
      "cannot list attributes of '" + path_of(object) + "'");
  return names;
}

std::string read_string_attribute(const Object& object, const std::string& name) {
  const std::string what = "cannot read attribute '" + name + "' of '" + path_of(object) + "'";
  Object attribute = open_scalar_attribute(object, name, what);
  Object file_type = checked(H5Aget_type(attribute.id()), what);
  if (H5Tget_class(file_type.id()) != H5T_STRING) {
    throw RuntimeError("HDF5: " + what + ": not a string");
  }
  const htri_t variable = H5Tis_variable_str(file_type.id());
  if (variable < 0) fail(what);
  // Read in the stored character set: we only copy bytes, HDF5 does not transcode.
  Object memory_type = checked(H5Tcopy(file_type.id()), what);
  if (variable > 0) {
    char* text = nullptr;
    check(H5Aread(attribute.id(), memory_type.id(), &text), what);
    std::string value = text != nullptr ? text : "";
    H5free_memory(text);
    return value;
  }
  const std::size_t size = H5Tget_size(file_type.id());
  if (size == 0) fail(what);
  std::string value(size, '\0');
  check(H5Aread(attribute.id(), memory_type.id(), value.data()), what);
  const std::size_t nul = value.find('\0');
  if (nul != std::string::npos) value.resize(nul);
  if (H5Tget_strpad(file_type.id()) == H5T_STR_SPACEPAD) {
    value.erase(value.find_last_not_of(' ') + 1);
  }
  return value;
}

std::int64_t read_int_attribute(const Object& object, const std::string& name) {
  return read_scalar_attribute<std::int64_t>(object, name, H5T_NATIVE_INT64);
}

std::uint64_t read_uint_attribute(const Object& object, const std::string& name) {
  return read_scalar_attribute<std::uint64_t>(object, name, H5T_NATIVE_UINT64);
}

double read_double_attribute(const Object& object, const std::string& name) {
  return read_scalar_attribute<double>(object, name, H5T_NATIVE_DOUBLE);
}

// --- datasets ----------------------------------------------------------------------------------

Object write_vector(const Object& parent, const std::string& name, std::span<const double> values) {
  const std::string what = "cannot write dataset '" + path_of(parent, name) + "'";
  Object dcpl = dataset_plist(what);
  Object dataset = create_dataset(parent, name, H5T_IEEE_F64LE, {values.size()}, dcpl.id(), what);
  if (!values.empty()) {
    check(H5Dwrite(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          what);
  }
  return dataset;
}

std::vector<std::size_t> matrix_chunk_shape(std::size_t rows, std::size_t cols) {
  const std::size_t shape[2] = {rows, cols};
  return array_chunk_shape(shape, sizeof(float));
}

std::vector<std::size_t> array_chunk_shape(std::span<const std::size_t> shape,
                                           std::size_t element_bytes) {
  if (shape.size() == 1) return {std::clamp<std::size_t>(kChunkBytes / element_bytes, 1, shape[0])};
  if (shape.size() == 3) {  // whole inner [dim1 x dim2] slabs (capped), as many as fit
    const std::size_t d1 = std::min(shape[1], kMaxChunkCols);
    const std::size_t d2 = std::min(shape[2], kMaxChunkCols / d1 > 0 ? kMaxChunkCols / d1 : 1);
    const std::size_t fit = kChunkBytes / (d1 * d2 * element_bytes);
    return {std::clamp<std::size_t>(fit, 1, shape[0]), d1, d2};
  }
  const std::size_t chunk_cols = std::min(shape[1], kMaxChunkCols);
  const std::size_t fit = kChunkBytes / (chunk_cols * element_bytes);
  return {std::clamp<std::size_t>(fit, 1, shape[0]), chunk_cols};
}

Object write_float_array(const Object& parent, const std::string& name,
                         std::span<const float> values, std::span<const std::size_t> shape) {
  return write_array(parent, name, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, sizeof(float), values.data(),
                     values.size(), shape);
}

Object write_int8_array(const Object& parent, const std::string& name,
                        std::span<const std::int8_t> values, std::span<const std::size_t> shape) {
  return write_array(parent, name, H5T_STD_I8LE, H5T_NATIVE_INT8, 1, values.data(), values.size(),
                     shape);
}

namespace {

struct ElementTypes {
  hid_t file;
  hid_t memory;
  std::size_t bytes;
};

ElementTypes types_of(Element type) {
  switch (type) {
    case Element::kFloat32:
      return {H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 4};
    case Element::kFloat64:
      return {H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 8};
    case Element::kInt64:
      return {H5T_STD_I64LE, H5T_NATIVE_INT64, 8};
    case Element::kUInt64:
      return {H5T_STD_U64LE, H5T_NATIVE_UINT64, 8};
    case Element::kInt8:
      return {H5T_STD_I8LE, H5T_NATIVE_INT8, 1};
  }
  return {H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 8};
}

}  // namespace

Object create_row_dataset(const Object& parent, const std::string& name, Element type,
                          std::span<const std::size_t> shape, std::size_t rows_per_chunk) {
  const std::string what = "cannot create dataset '" + path_of(parent, name) + "'";
  if (shape.empty() || shape.size() > 3) {
    throw RuntimeError("HDF5: " + what + ": rank " + std::to_string(shape.size()));
  }
  Object dcpl = dataset_plist(what);
  if (product(shape) > 0) {
    std::vector<hsize_t> chunk(shape.begin(), shape.end());
    chunk[0] = std::clamp<std::size_t>(rows_per_chunk, 1, shape[0]);
    check(H5Pset_chunk(dcpl.id(), static_cast<int>(chunk.size()), chunk.data()), what);
    check(H5Pset_shuffle(dcpl.id()), what);
    check(H5Pset_deflate(dcpl.id(), kDeflateLevel), what);
  }
  // Rows arrive in whole chunks (write_rows batches), so a chunk cache would only hold written
  // chunks until the file closes (~1 MB per dataset): no cache.
  Object dapl = plist(H5P_DATASET_ACCESS);
  check(H5Pset_chunk_cache(dapl.id(), 0, 0, H5D_CHUNK_CACHE_W0_DEFAULT), what);
  const std::vector<hsize_t> dims(shape.begin(), shape.end());
  Object space =
      checked(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), what);
  Object lcpl = utf8_link_plist();
  return checked(H5Dcreate2(parent.id(), name.c_str(), types_of(type).file, space.id(), lcpl.id(),
                            dcpl.id(), dapl.id()),
                 what);
}

void write_rows(const Object& dataset, Element type, std::size_t first, std::size_t count,
                const void* values) {
  const std::string what = "cannot write rows of '" + path_of(dataset) + "'";
  if (count == 0) return;
  std::vector<hsize_t> dims = dataset_dims(dataset, what);
  Object file_space = checked(H5Dget_space(dataset.id()), what);
  std::vector<hsize_t> start(dims.size(), 0), extent = dims;
  start[0] = first;
  extent[0] = count;
  check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start.data(), nullptr, extent.data(),
                            nullptr),
        what);
  Object memory_space =
      checked(H5Screate_simple(static_cast<int>(extent.size()), extent.data(), nullptr), what);
  check(H5Dwrite(dataset.id(), types_of(type).memory, memory_space.id(), file_space.id(),
                 H5P_DEFAULT, values),
        what);
}

Object write_double_array(const Object& parent, const std::string& name,
                          std::span<const double> values, std::span<const std::size_t> shape) {
  return write_array(parent, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, sizeof(double), values.data(),
                     values.size(), shape);
}

Object write_int64_array(const Object& parent, const std::string& name,
                         std::span<const std::int64_t> values, std::span<const std::size_t> shape) {
  return write_array(parent, name, H5T_STD_I64LE, H5T_NATIVE_INT64, sizeof(std::int64_t),
                     values.data(), values.size(), shape);
}

Object write_uint64_array(const Object& parent, const std::string& name,
                          std::span<const std::uint64_t> values,
                          std::span<const std::size_t> shape) {
  return write_array(parent, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, sizeof(std::uint64_t),
                     values.data(), values.size(), shape);
}

Array<double> read_double_array(const Object& parent, const std::string& name) {
  Object dataset = open_dataset(parent, name);
  return read_array<double>(dataset, H5T_NATIVE_DOUBLE,
                            "cannot read dataset '" + path_of(parent, name) + "'");
}

Array<std::uint64_t> read_uint64_array(const Object& parent, const std::string& name) {
  Object dataset = open_dataset(parent, name);
  return read_array<std::uint64_t>(dataset, H5T_NATIVE_UINT64,
                                   "cannot read dataset '" + path_of(parent, name) + "'");
}

FilteredMatrix filter_matrix(const float* values, std::size_t rows, std::size_t cols) {
  FilteredMatrix out;
  out.rows = rows;
  out.cols = cols;
  out.values = values;
  if (rows == 0 || cols == 0) return out;
  const std::vector<std::size_t> chunk = matrix_chunk_shape(rows, cols);
  if (chunk[1] != cols) return out;  // chunks split rows (over 32768 columns): HDF5 filters them
  // Whole-row chunks are contiguous in `values`: filter them in parallel exactly as HDF5's
  // pipeline would (shuffle, then deflate = zlib's compress2 at kDeflateLevel), for
  // H5Dwrite_chunk. Readers see an ordinary shuffle + deflate dataset; the bytes do not depend on
  // the thread count. HDF5 itself filters serially, which made compression most of the writing.
  const std::size_t chunk_rows = chunk[0];
  const std::size_t n_chunks = (rows + chunk_rows - 1) / chunk_rows;
  const std::size_t elements = chunk_rows * cols;  // a full chunk; the last is padded with 0
  const std::size_t chunk_bytes = elements * sizeof(float);
  out.chunks.resize(n_chunks);
  tbb::parallel_for(std::size_t{0}, n_chunks, [&](std::size_t c) {
    const std::size_t first = c * chunk_rows;
    const std::size_t have = std::min(chunk_rows, rows - first) * cols;
    const auto* src = reinterpret_cast<const unsigned char*>(values + first * cols);
    // Scratch space is not zero-filled (only the last chunk's padding must be zero), and the
    // compressed bytes are copied out at their size: no memset of chunk-sized buffers.
    const auto shuffled = std::make_unique_for_overwrite<unsigned char[]>(chunk_bytes);
    for (std::size_t j = 0; j < sizeof(float); ++j) {  // byte j of element i -> j * elements + i
      unsigned char* plane = shuffled.get() + j * elements;
      for (std::size_t i = 0; i < have; ++i) plane[i] = src[i * sizeof(float) + j];
      std::fill(plane + have, plane + elements, static_cast<unsigned char>(0));
    }
    uLongf size = compressBound(static_cast<uLong>(chunk_bytes));
    const auto packed = std::make_unique_for_overwrite<unsigned char[]>(size);
    if (compress2(packed.get(), &size, shuffled.get(), static_cast<uLong>(chunk_bytes),
                  static_cast<int>(kDeflateLevel)) != Z_OK) {
      throw RuntimeError("HDF5: zlib could not compress a chunk");
    }
    out.chunks[c].assign(packed.get(), packed.get() + size);
  });
  return out;
}

Object write_filtered_matrix(const Object& parent, const std::string& name,
                             const FilteredMatrix& matrix) {
  const std::string what = "cannot write dataset '" + path_of(parent, name) + "'";
  const std::size_t rows = matrix.rows, cols = matrix.cols;
  Object dcpl = dataset_plist(what);
  set_matrix_storage(dcpl, rows, cols, what);
  Object dataset = create_dataset(parent, name, H5T_IEEE_F32LE, {rows, cols}, dcpl.id(), what);
  if (rows == 0 || cols == 0) return dataset;
  if (matrix.chunks.empty()) {  // chunks split rows: let HDF5 filter them
    check(H5Dwrite(dataset.id(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, matrix.values),
          what);
    return dataset;
  }
  const std::size_t chunk_rows = matrix_chunk_shape(rows, cols)[0];
  for (std::size_t c = 0; c < matrix.chunks.size(); ++c) {
    const hsize_t offset[2] = {c * chunk_rows, 0};
    check(H5Dwrite_chunk(dataset.id(), H5P_DEFAULT, 0, offset, matrix.chunks[c].size(),
                         matrix.chunks[c].data()),
          what);
  }
  return dataset;
}

Object write_matrix(const Object& parent, const std::string& name, const float* values,
                    std::size_t rows, std::size_t cols) {
  return write_filtered_matrix(parent, name, filter_matrix(values, rows, cols));
}

namespace {

bool is_distributed(const Object& object, const std::string& what) {
#ifdef H5_HAVE_PARALLEL
  const Object file = checked(H5Iget_file_id(object.id()), what);
  const Object fapl = checked(H5Fget_access_plist(file.id()), what);
  return H5Pget_driver(fapl.id()) == H5FD_MPIO;
#else
  (void)object;
  (void)what;
  return false;
#endif
}

}  // namespace

Object write_slab(const Object& parent, const std::string& name, Layout layout, Element type,
                  std::span<const std::size_t> shape, std::size_t first, std::size_t count,
                  const void* values) {
  const std::string what = "cannot write dataset '" + path_of(parent, name) + "'";
  const ElementTypes types = types_of(type);
  if (shape.empty() || shape.size() > 3 ||
      (layout != Layout::kArray && shape.size() != 1 + (layout == Layout::kMatrix))) {
    throw RuntimeError("HDF5: " + what + ": rank " + std::to_string(shape.size()) +
                       " does not fit the layout");
  }
  if (first + count > shape[0]) {
    throw RuntimeError("HDF5: " + what + ": rows [" + std::to_string(first) + ", " +
                       std::to_string(first + count) + ") outside " + std::to_string(shape[0]));
  }
  const std::size_t inner = product(shape.subspan(1));
  if (!is_distributed(parent, what)) {
    if (first != 0 || count != shape[0]) {
      throw RuntimeError("HDF5: " + what + ": a serial file is written whole");
    }
    switch (layout) {
      case Layout::kVector: {
        if (type != Element::kFloat64) break;
        return write_vector(parent, name, {static_cast<const double*>(values), count});
      }
      case Layout::kMatrix:
        if (type != Element::kFloat32) break;
        return write_matrix(parent, name, static_cast<const float*>(values), shape[0], shape[1]);
      case Layout::kArray:
        return write_array(parent, name, types.file, types.memory, types.bytes, values,
                           count * inner, shape);
    }
    throw RuntimeError("HDF5: " + what + ": element type does not fit the layout");
  }
  Object dcpl = dataset_plist(what);
  if (layout == Layout::kMatrix) set_matrix_storage(dcpl, shape[0], shape[1], what);
  if (layout == Layout::kArray) set_array_storage(dcpl, shape, types.bytes, what);
  Object dataset =
      create_dataset(parent, name, types.file, {shape.begin(), shape.end()}, dcpl.id(), what);
  if (product(shape) == 0) return dataset;
  const std::vector<hsize_t> dims(shape.begin(), shape.end());
  std::vector<hsize_t> start(dims.size(), 0), extent = dims;
  start[0] = first;
  extent[0] = count;
  Object file_space = checked(H5Dget_space(dataset.id()), what);
  Object memory_space =
      checked(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), what);
  if (count == 0) {
    check(H5Sselect_none(file_space.id()), what);
    check(H5Sselect_none(memory_space.id()), what);
  } else {
    check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start.data(), nullptr, extent.data(),
                              nullptr),
          what);
    memory_space =
        checked(H5Screate_simple(static_cast<int>(extent.size()), extent.data(), nullptr), what);
  }
  Object dxpl = plist(H5P_DATASET_XFER);
#ifdef H5_HAVE_PARALLEL
  check(H5Pset_dxpl_mpio(dxpl.id(), H5FD_MPIO_COLLECTIVE), what);
#endif
  static const double nothing = 0.0;  // HDF5 wants a buffer even for an empty selection
  check(H5Dwrite(dataset.id(), types.memory, memory_space.id(), file_space.id(), dxpl.id(),
                 count == 0 || values == nullptr ? &nothing : values),
        what);
  return dataset;
}

std::vector<std::size_t> shape(const Object& dataset) {
  const std::vector<hsize_t> dims =
      dataset_dims(dataset, "cannot read shape of '" + path_of(dataset) + "'");
  return {dims.begin(), dims.end()};
}

ElementType element_type(const Object& dataset) {
  const std::string what = "cannot read type of '" + path_of(dataset) + "'";
  Object type = checked(H5Dget_type(dataset.id()), what);
  const std::size_t size = H5Tget_size(type.id());
  switch (H5Tget_class(type.id())) {
    case H5T_FLOAT:
      return size == 4   ? ElementType::kFloat32
             : size == 8 ? ElementType::kFloat64
                         : ElementType::kOther;
    case H5T_INTEGER:
      return size == 1 && H5Tget_sign(type.id()) == H5T_SGN_2 ? ElementType::kInt8
                                                              : ElementType::kOther;
    default:
      return ElementType::kOther;
  }
}

Storage storage(const Object& dataset) {
  const std::string what = "cannot read storage of '" + path_of(dataset) + "'";
  Object dcpl = checked(H5Dget_create_plist(dataset.id()), what);
  Storage result;
  if (H5Pget_layout(dcpl.id()) == H5D_CHUNKED) {
    hsize_t dims[H5S_MAX_RANK];
    const int rank = H5Pget_chunk(dcpl.id(), H5S_MAX_RANK, dims);
    if (rank < 0) fail(what);
    result.chunk.assign(dims, dims + rank);
  }
  const int n_filters = H5Pget_nfilters(dcpl.id());
  if (n_filters < 0) fail(what);
  for (int i = 0; i < n_filters; ++i) {
    unsigned flags = 0;
    unsigned config = 0;
    std::size_t n_values = 1;
    unsigned values[1] = {0};
    const H5Z_filter_t filter = H5Pget_filter2(dcpl.id(), static_cast<unsigned>(i), &flags,
                                               &n_values, values, 0, nullptr, &config);
    if (filter == H5Z_FILTER_SHUFFLE) result.shuffle = true;
    if (filter == H5Z_FILTER_DEFLATE) result.deflate_level = static_cast<int>(values[0]);
  }
  return result;
}

std::vector<double> read_vector(const Object& parent, const std::string& name) {
  const std::string what = "cannot read dataset '" + path_of(parent, name) + "'";
  Object dataset = open_dataset(parent, name);
  const std::vector<hsize_t> dims = dataset_dims(dataset, what);
  if (dims.size() != 1) throw RuntimeError("HDF5: " + what + ": expected a 1-D dataset");
  std::vector<double> values(declared_count(dims, sizeof(double), what));
  if (!values.empty()) {
    check(H5Dread(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          what);
  }
  return values;
}

Matrix read_matrix(const Object& parent, const std::string& name) {
  const std::string what = "cannot read dataset '" + path_of(parent, name) + "'";
  Object dataset = open_dataset(parent, name);
  const std::vector<hsize_t> dims = dataset_dims(dataset, what);
  if (dims.size() != 2) throw RuntimeError("HDF5: " + what + ": expected a 2-D dataset");
  Matrix matrix{dims[0], dims[1], std::vector<float>(declared_count(dims, sizeof(float), what))};
  if (!matrix.values.empty()) {
    check(H5Dread(dataset.id(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                  matrix.values.data()),
          what);
  }
  return matrix;
}

Array<float> read_float_array(const Object& parent, const std::string& name) {
  const std::string what = "cannot read dataset '" + path_of(parent, name) + "'";
  return read_array<float>(open_dataset(parent, name), H5T_NATIVE_FLOAT, what);
}

Array<std::int8_t> read_int8_array(const Object& parent, const std::string& name) {
  const std::string what = "cannot read dataset '" + path_of(parent, name) + "'";
  Object dataset = open_dataset(parent, name);
  if (element_type(dataset) != ElementType::kInt8) {
    throw RuntimeError("HDF5: " + what + ": not an int8 dataset");
  }
  return read_array<std::int8_t>(dataset, H5T_NATIVE_INT8, what);
}

}  // namespace attachsim::sim::h5
