# guichet_engine: what needs the site's content (intents, NLU, entities, knowledge base,
# opening hours) — and the executable.
add_library(guichet_engine STATIC
  src/engine/site.cpp
  src/engine/kb_results.cpp
  src/dialogue/engine.cpp
  src/dialogue/intent_tests.cpp
  src/dialogue/ranking.cpp
  src/server/http_server.cpp
  src/app/app.cpp)
target_include_directories(guichet_engine PUBLIC src)
target_link_libraries(guichet_engine PUBLIC guichet_runtime guichet_intents guichet_nlu
  guichet_entities guichet_kb guichet_hours Boost::json Boost::url ICU::i18n ICU::uc)
target_compile_definitions(guichet_engine PUBLIC
  GUICHET_VERSION="${PROJECT_VERSION}")

add_executable(guichet src/main.cpp src/console/console.cpp src/console/explain.cpp
  src/console/throwaway_store.cpp)
target_link_libraries(guichet PRIVATE guichet_engine guichet_connectors)
set_target_properties(guichet PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
# The executable loads the shipped plugins: build them with it.
add_dependencies(guichet smalltalk)
# Staff and operations: live reload, metrics/health/logs, analytics (see core/src/ops/).
target_sources(guichet_runtime PRIVATE src/ops/mask.cpp)
target_sources(guichet_engine PRIVATE src/reload/reloader.cpp src/ops/metrics.cpp
  src/ops/ops_service.cpp src/ops/backup.cpp src/analytics/analytics.cpp)
# Durable state (store/): conversations, reports, handoffs, message log, retention.
target_sources(guichet_engine PRIVATE src/store/sqlite_store.cpp src/store/pii.cpp
  src/dialogue/durable.cpp src/store/configured.cpp)
target_link_libraries(guichet_engine PUBLIC SQLite::SQLite3)
# The knowledge-base plugins that the default intents name.
add_dependencies(guichet hours places faq waste)
# Durable analytics (figures survive a restart): its own SQLite file, one writer thread.
target_sources(guichet_engine PRIVATE src/analytics/analytics_db.cpp)
# The store's writer thread (group commit of the turns' writes).
target_sources(guichet_engine PRIVATE src/store/sqlite_writer.cpp)
# The server's allocator: jemalloc (Debian's libjemalloc-dev). A turn allocates and frees many
# small objects on two network threads and the writer thread; glibc's allocator spent ~15 % of
# the turn there, jemalloc's per-thread caches about a third less (bench/web/run.sh: +16–24 %
# requests/s). Without the package the build keeps glibc's and says so.
find_library(GUICHET_JEMALLOC NAMES jemalloc)
if(GUICHET_JEMALLOC)
  target_link_libraries(guichet PRIVATE ${GUICHET_JEMALLOC})
else()
  message(STATUS "jemalloc not found (apt-get install libjemalloc-dev): guichet uses glibc's allocator")
endif()
