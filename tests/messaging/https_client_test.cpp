// The outbound client: plain HTTP only to loopback, certificates verified (a local TLS
// server with a self-signed certificate is refused), timeouts, and response classification.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_future.hpp>
#include <thread>

#include "fake_platform.h"
#include "outbound/https_client.h"

namespace asio = boost::asio;
using namespace guichet;
using namespace guichet::outbound;

namespace {

response run(request r, client_options o = {}) {
    asio::io_context io;
    https_client client(o);
    auto f = asio::co_spawn(io, client.send(std::move(r)), asio::use_future);
    io.run();
    return f.get();
}

// A self-signed certificate for 127.0.0.1, made in memory.
std::pair<std::string, std::string> self_signed() {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    X509* cert = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    auto* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509_sign(cert, key, EVP_sha256());
    BIO* b1 = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b1, cert);
    BIO* b2 = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(b2, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* p = nullptr;
    long n = BIO_get_mem_data(b1, &p);
    std::string c(p, static_cast<std::size_t>(n));
    n = BIO_get_mem_data(b2, &p);
    std::string k(p, static_cast<std::size_t>(n));
    BIO_free(b1);
    BIO_free(b2);
    X509_free(cert);
    EVP_PKEY_free(key);
    return {c, k};
}

}  // namespace

TEST(https_client, plain_http_leaves_only_to_loopback) {
    request r;
    r.url = "http://api.telegram.org/bot1/sendMessage";
    auto res = run(r);
    EXPECT_EQ(res.ec, asio::error::access_denied);
    EXPECT_EQ(res.status, 0u);
}

TEST(https_client, posts_to_a_local_server_with_headers) {
    test::fake_platform fake;
    request r;
    r.url = fake.url() + "/api/chat.postMessage?x=1";
    r.headers.emplace_back("Authorization", "Bearer t");
    r.body = R"({"a":1})";
    auto res = run(r);
    ASSERT_FALSE(res.ec) << res.ec.message();
    EXPECT_EQ(res.status, 200u);
    auto got = fake.requests();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].target, "/api/chat.postMessage?x=1");
    EXPECT_EQ(got[0].authorization, "Bearer t");
    EXPECT_EQ(got[0].body, R"({"a":1})");
    EXPECT_EQ(classify(res), outcome::delivered);
}

TEST(https_client, a_certificate_that_does_not_verify_is_refused) {
    auto [cert, key] = self_signed();
    asio::io_context server_io;
    asio::ssl::context tls(asio::ssl::context::tls_server);
    tls.use_certificate_chain(asio::buffer(cert));
    tls.use_private_key(asio::buffer(key), asio::ssl::context::pem);
    asio::ip::tcp::acceptor acceptor(server_io, {asio::ip::make_address("127.0.0.1"), 0});
    auto port = acceptor.local_endpoint().port();
    std::atomic<bool> handshake_ok{false};
    std::thread server([&] {
        asio::ssl::stream<asio::ip::tcp::socket> s(server_io, tls);
        boost::system::error_code ec;
        acceptor.accept(s.next_layer(), ec);
        if (ec) return;
        s.handshake(asio::ssl::stream_base::server, ec);
        handshake_ok = !ec;
    });
    request r;
    r.url = "https://127.0.0.1:" + std::to_string(port) + "/x";
    client_options o;
    o.timeout = std::chrono::milliseconds(3000);
    auto res = run(r, o);
    server.join();
    EXPECT_TRUE(res.ec);
    EXPECT_EQ(res.ec.category(), asio::error::get_ssl_category()) << res.ec.message();
    EXPECT_FALSE(handshake_ok);
    EXPECT_EQ(classify(res), outcome::retry);
}

TEST(https_client, a_silent_server_times_out) {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});  // never accepts
    request r;
    r.url = "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/";
    client_options o;
    o.timeout = std::chrono::milliseconds(300);
    auto start = std::chrono::steady_clock::now();
    auto res = run(r, o);
    EXPECT_EQ(res.ec, boost::beast::error::timeout) << res.ec.message();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST(https_client, classification) {
    response r;
    r.status = 200;
    EXPECT_EQ(classify(r), outcome::delivered);
    r.status = 429;
    EXPECT_EQ(classify(r), outcome::retry);
    r.status = 502;
    EXPECT_EQ(classify(r), outcome::retry);
    r.status = 403;
    EXPECT_EQ(classify(r), outcome::refused);
    r.status = 0;
    r.ec = asio::error::connection_refused;
    EXPECT_EQ(classify(r), outcome::retry);
}
