# ASan + UBSan for the whole tree when REGIOMAP_SANITIZE is on. Applied
# globally so that the libraries and the tests agree on the runtime.
if(REGIOMAP_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-fno-sanitize-recover=undefined)
    # GCC 12's -Wmaybe-uninitialized reports false positives in instrumented
    # code (std::variant<std::string,…> inside std::optional); the Release
    # build keeps the warning, with -Werror.
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  # With clang (scripts/build asan) UBSan's checks stay recoverable, so that
  # fuzz/ubsan.supp can name third-party code; UBSAN_OPTIONS=halt_on_error=1
  # (scripts/test) makes any other report fail the test.
endif()

# libFuzzer: instrument everything for coverage; the fuzz targets link the
# fuzzer runtime themselves (fuzz/CMakeLists.txt). Clang only. scripts/build
# asan turns it on beside REGIOMAP_SANITIZE: one tree for both.
if(REGIOMAP_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# ThreadSanitizer for the concurrent tests (the cache, the handler under
# many threads, reload while serving).
if(REGIOMAP_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
  # GCC warns that TSan does not model the atomic_thread_fence inside Asio's
  # handler invocation. The TSan suite runs the unit tests (store, cache,
  # handlers on many threads), which do not go through Asio.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-tsan)
  endif()
endif()
