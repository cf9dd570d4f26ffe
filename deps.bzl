"""What a workspace that depends on quorumsim must declare, in one macro.

In the consumer's WORKSPACE:

    local_repository(name = "quorumsim", path = "/path/to/quorumsim")
    load("@quorumsim//:deps.bzl", "quorumsim_dependencies")
    quorumsim_dependencies()

Everything is offline: Bazel's own rule repositories are replaced by the small stand-ins under
third_party/, and GoogleTest, RapidCheck and Google Benchmark come from Debian's -dev packages
under /usr (tools/install-deps.sh installs them). A repository the consumer already declared,
before this call, is left alone, so a consumer can bring its own gtest or rules_cc.
"""

def _stand_in_impl(rctx):
    # A local_repository path is resolved against the consumer's workspace, which does not
    # know where quorumsim lives; a label into quorumsim does. The stand-ins hold their own
    # WORKSPACE files, so no label reaches into them: start from third_party/'s BUILD file.
    src = rctx.path(rctx.attr.marker).dirname.get_child(rctx.attr.directory)
    for child in src.readdir():
        rctx.symlink(child, child.basename)

_stand_in = repository_rule(
    implementation = _stand_in_impl,
    attrs = {
        "marker": attr.label(mandatory = True, allow_single_file = True),
        "directory": attr.string(mandatory = True),
    },
    local = True,
)

def _declare_stand_in(name):
    if not native.existing_rule(name):
        _stand_in(
            name = name,
            marker = Label("//third_party:BUILD.bazel"),
            directory = name,
        )

def _declare_system_library(name):
    if not native.existing_rule(name):
        native.new_local_repository(
            name = name,
            path = "/usr",
            build_file = str(Label("//third_party/system:%s.BUILD" % name)),
        )

def quorumsim_dependencies():
    """Declares the repositories quorumsim's targets and tests use, unless already declared."""
    for name in ["rules_cc", "rules_java", "remote_coverage_tools"]:
        _declare_stand_in(name)
    if not native.existing_rule("platforms"):
        native.local_repository(name = "platforms", path = "/usr/share/bazel/platforms")
    for name in ["gtest", "rapidcheck", "benchmark"]:
        _declare_system_library(name)
