# Tests of the assembled engine: the real executable over real HTTP, `guichet check` and `chat`.
guichet_test(e2e_test
  SOURCES e2e/serve_test.cpp e2e/check_test.cpp e2e/config_errors_test.cpp e2e/chat_test.cpp
  LIBRARIES guichet_common Boost::json Boost::headers Threads::Threads SQLite::SQLite3)
target_include_directories(e2e_test PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_compile_definitions(e2e_test PRIVATE GUICHET_BINARY_DIR="${CMAKE_BINARY_DIR}")
add_dependencies(e2e_test guichet smalltalk reference_c fixture_never_replies fixture_throws
  fixture_fails fixture_major_mismatch)

# Conversations that get things done, end to end on a copy of the default commune: handoff
# (an agent's reply to the web WebSocket, the history and Telegram's fake Bot API, hand back;
# off duty a call-back ticket), Open311 services from the knowledge base, and WhatsApp (a
# citizen's number kept across a restart, an agent's held reply expiring, a pressed button's
# title in the agents' console), and a Direct Line conversation rebuilt after a restart.
guichet_test(e2e_flows_test
  SOURCES e2e/handoff_test.cpp e2e/open311_services_test.cpp e2e/whatsapp_restart_test.cpp
          e2e/directline_restart_test.cpp
          messaging/fake_platform.cpp
  LIBRARIES guichet_messaging Boost::json Boost::headers Threads::Threads)
target_include_directories(e2e_flows_test PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_compile_definitions(e2e_flows_test PRIVATE GUICHET_BINARY_DIR="${CMAKE_BINARY_DIR}")
add_dependencies(e2e_flows_test guichet smalltalk handoff hours places faq waste report privacy)
