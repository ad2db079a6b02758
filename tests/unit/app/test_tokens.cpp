#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/stat.h>

#include "app/token_command.hpp"
#include "app/tokens.hpp"

namespace regiomap::app {
namespace {

namespace fs = std::filesystem;

class TokensTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("regiomap_tokens_" + std::to_string(::getpid()) + "_" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        path_ = (dir_ / "tokens.json").string();
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string read_file() const {
        std::ifstream in(path_);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

    // Runs `regiomap token ARGS… --tokens-file FILE`; returns the status.
    int run(std::vector<std::string> args, std::string* out = nullptr, std::string* err = nullptr) {
        args.push_back("--tokens-file");
        args.push_back(path_);
        std::vector<std::string_view> views(args.begin(), args.end());
        std::ostringstream out_stream, err_stream;
        const int status = run_token_command(views, out_stream, err_stream);
        if (out) {
            *out = out_stream.str();
        }
        if (err) {
            *err = err_stream.str();
        }
        return status;
    }

    fs::path dir_;
    std::string path_;
};

TEST_F(TokensTest, AddPrintsTheTokenOnceAndStoresOnlyAnArgon2idHash) {
    std::string out, err;
    ASSERT_EQ(run({"add", "district-office", "--role", "editor", "--collections", "projects,roads"}, &out, &err), 0)
        << err;
    ASSERT_FALSE(out.empty());
    const std::string token = out.substr(0, out.find('\n'));
    ASSERT_TRUE(split_token(token)) << "not shaped like a token: " << token;
    // 256 random bits, base64url: 43 characters of secret.
    EXPECT_EQ(split_token(token)->secret.size(), 43u);
    EXPECT_EQ(err.find(token), std::string::npos) << "the token went to the message stream too";

    const std::string stored = read_file();
    EXPECT_EQ(stored.find(std::string(split_token(token)->secret)), std::string::npos) << "the secret is stored";
    EXPECT_NE(stored.find("$argon2id$"), std::string::npos);

    struct stat info {};
    ASSERT_EQ(::stat(path_.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u) << "the tokens file is readable by others";

    const TokenFile file = TokenFile::read(path_);
    ASSERT_EQ(file.entries().size(), 1u);
    EXPECT_EQ(file.entries()[0].identity.name, "district-office");
    EXPECT_EQ(file.entries()[0].identity.role, Role::editor);
    EXPECT_EQ(file.entries()[0].identity.collections, (std::vector<std::string>{"projects", "roads"}));
}

TEST_F(TokensTest, VerifierKnowsTheTokenAndRefusesNearMisses) {
    std::string out;
    ASSERT_EQ(run({"add", "alice", "--role", "admin"}, &out), 0);
    const std::string token = out.substr(0, out.find('\n'));
    TokenVerifier verifier(path_);
    auto identity = verifier.verify(token);
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->name, "alice");
    EXPECT_EQ(identity->role, Role::admin);
    EXPECT_TRUE(identity->may_edit("anything"));
    // Twice: the second answer comes from the keyed cache and must agree.
    EXPECT_TRUE(verifier.verify(token));

    std::string wrong = token;
    wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
    EXPECT_FALSE(verifier.verify(wrong));
    EXPECT_FALSE(verifier.verify(token.substr(0, token.size() - 1)));
    EXPECT_FALSE(verifier.verify(""));
    EXPECT_FALSE(verifier.verify("rgm_00000000_" + std::string(split_token(token)->secret)));
    EXPECT_FALSE(verifier.verify("Bearer " + token));
}

TEST_F(TokensTest, EditorRightsFollowTheCollectionsListed) {
    Identity everywhere{"a", Role::editor, {}};
    Identity some{"b", Role::editor, {"projects"}};
    EXPECT_TRUE(everywhere.may_edit("roads"));
    EXPECT_TRUE(some.may_edit("projects"));
    EXPECT_FALSE(some.may_edit("roads"));
    EXPECT_FALSE(some.may_edit("project"));
}

TEST_F(TokensTest, RevokedTokenStopsWorkingWithoutRestart) {
    std::string first, second;
    ASSERT_EQ(run({"add", "one", "--role", "editor"}, &first), 0);
    ASSERT_EQ(run({"add", "two", "--role", "editor"}, &second), 0);
    const std::string token_one = first.substr(0, first.find('\n'));
    const std::string token_two = second.substr(0, second.find('\n'));
    TokenVerifier verifier(path_);
    ASSERT_TRUE(verifier.verify(token_one));
    ASSERT_TRUE(verifier.verify(token_two));

    ASSERT_EQ(run({"revoke", "one"}), 0);
    EXPECT_FALSE(verifier.verify(token_one)) << "a revoked token lived on in the cache";
    EXPECT_TRUE(verifier.verify(token_two));

    std::string err;
    EXPECT_EQ(run({"revoke", "one"}, nullptr, &err), 1);
    EXPECT_NE(err.find("no token named 'one'"), std::string::npos) << err;
}

TEST_F(TokensTest, ListShowsNamesAndRolesButNoHashes) {
    ASSERT_EQ(run({"add", "ed", "--role", "editor", "--collections", "projects"}), 0);
    ASSERT_EQ(run({"add", "root", "--role", "admin"}), 0);
    std::string out;
    ASSERT_EQ(run({"list"}, &out), 0);
    EXPECT_NE(out.find("ed\teditor\tprojects\t"), std::string::npos) << out;
    EXPECT_NE(out.find("root\tadmin\t*\t"), std::string::npos) << out;
    EXPECT_EQ(out.find("argon2"), std::string::npos) << out;
}

TEST_F(TokensTest, BadCommandsAreRefusedWithUsage) {
    std::string err;
    EXPECT_EQ(run({"add", "x"}, nullptr, &err), 2);
    EXPECT_NE(err.find("--role"), std::string::npos) << err;
    EXPECT_EQ(run({"add", "x", "--role", "owner"}, nullptr, &err), 2);
    EXPECT_NE(err.find("not editor or admin"), std::string::npos) << err;
    EXPECT_EQ(run({"add", "x", "--role", "admin", "--collections", "a"}, nullptr, &err), 2);
    EXPECT_EQ(run({"add", "bad name!", "--role", "editor"}, nullptr, &err), 1);
    EXPECT_EQ(run({"frobnicate"}, nullptr, &err), 2);
    ASSERT_EQ(run({"add", "same", "--role", "editor"}), 0);
    EXPECT_EQ(run({"add", "same", "--role", "editor"}, nullptr, &err), 1);
    EXPECT_NE(err.find("exists"), std::string::npos) << err;
}

TEST_F(TokensTest, ACorruptFileIsNamedButNotQuoted) {
    {
        std::ofstream out(path_);
        out << "{\"tokens\": [ {\"name\": \"x\", \"hash\": \"$argon2id$secret-looking\" ";
    }
    try {
        TokenVerifier verifier(path_);
        FAIL() << "a corrupt tokens file was taken";
    } catch (const std::runtime_error& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find(path_), std::string::npos) << message;
        EXPECT_EQ(message.find("secret-looking"), std::string::npos) << message;
    }
}

}  // namespace
}  // namespace regiomap::app
