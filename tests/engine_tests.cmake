# Tests of the assembled engine: the real executable over real HTTP, and `guichet check`.
guichet_test(e2e_test
  SOURCES e2e/serve_test.cpp e2e/check_test.cpp
  LIBRARIES guichet_common Boost::json Boost::headers Threads::Threads)
target_include_directories(e2e_test PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_compile_definitions(e2e_test PRIVATE GUICHET_BINARY_DIR="${CMAKE_BINARY_DIR}")
add_dependencies(e2e_test guichet smalltalk reference_c fixture_never_replies fixture_throws
  fixture_fails fixture_major_mismatch)
