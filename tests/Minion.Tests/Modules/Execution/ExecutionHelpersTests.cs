using System.Text.RegularExpressions;
using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Modules.Execution;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class ExecutionHelpersTests
{
    [Theory]
    [InlineData("a b  c", new[] { "a", "b", "c" })]
    [InlineData("echo 'a | b' \"c $d\"", new[] { "echo", "a | b", "c $d" })]
    [InlineData("x\\ y \"q\\\"\"", new[] { "x y", "q\"" })]
    [InlineData("''", new[] { "" })]
    public void ShellWords_Split_LikeShlex(string command, string[] expected) => Assert.Equal(expected, ShellWords.Split(command));

    [Fact]
    public void ShellWords_UnclosedQuote_Throws() => Assert.Throws<ModuleException>(() => ShellWords.Split("echo 'oops"));

    [Theory]
    [InlineData(@"\1-\2", "${1}-${2}")]
    [InlineData(@"\g<name> costs $5", "${name} costs $$5")]
    [InlineData(@"a\nb", "a\nb")]
    public void PythonRegex_Replacement_Translates(string python, string dotnet) => Assert.Equal(dotnet, PythonRegex.Replacement(python));

    [Fact]
    public void PythonRegex_Options_FromBitsAndNames()
    {
        Assert.Equal(RegexOptions.Multiline | RegexOptions.IgnoreCase, PythonRegex.Options(10L));
        Assert.Equal(RegexOptions.Singleline, PythonRegex.Options(new List<object?> { "DOTALL" }));
        Assert.Throws<ModuleException>(() => PythonRegex.Options("BOGUS"));
    }

    [Fact]
    public void PythonRegex_NamedGroups_Translated() =>
        Assert.Equal("b-b", PythonRegex.Compile(@"(?P<x>b)", RegexOptions.None).Replace("b", "${x}-${x}"));

    [Fact]
    public void UnifiedDiff_SeparateHunks_HaveHeaders()
    {
        var lines = Enumerable.Range(1, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var old = string.Join('\n', lines) + "\n";
        lines[1] = "two";
        lines[18] = "nineteen";
        var @new = string.Join('\n', lines) + "\n";
        var diff = UnifiedDiff.Create(old, @new, "a", "b");
        Assert.StartsWith("--- a\n+++ b\n@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n", diff);
        Assert.Contains("@@ -16,5 +16,5 @@\n 16\n 17\n 18\n-19\n+nineteen\n 20\n", diff);
    }

    [Fact]
    public void UnifiedDiff_Identical_IsEmpty() => Assert.Equal(string.Empty, UnifiedDiff.Create("a\n", "a\n", "x", "y"));

    [Theory]
    [InlineData("*.py", "a.py", true)]
    [InlineData("test.p?ng", "test.ping", true)]
    [InlineData("[!a]*", "abc", false)]
    [InlineData("cmd.*", "cmdx", false)]
    public void Glob_Matches_LikeFnmatch(string pattern, string text, bool expected) => Assert.Equal(expected, Glob.Matches(pattern, text));
}
