using Orchestrator.Minion.Modules.States;

namespace Orchestrator.Minion.Tests.States;

public class UnifiedDiffTests
{
    [Fact]
    public void Create_TwoDistantChanges_TwoHunksLikeDifflib()
    {
        var a = string.Concat(Enumerable.Range(1, 20).Select(i => $"line{i}\n"));
        var b = a.Replace("line2\n", "LINE2\n", StringComparison.Ordinal).Replace("line18\n", "LINE18\n", StringComparison.Ordinal);
        Assert.Equal(
            "--- \n+++ \n@@ -1,5 +1,5 @@\n line1\n-line2\n+LINE2\n line3\n line4\n line5\n"
            + "@@ -15,6 +15,6 @@\n line15\n line16\n line17\n-line18\n+LINE18\n line19\n line20\n",
            UnifiedDiff.Create(a, b));
    }

    [Fact]
    public void Create_MissingFinalNewline_KeptRawLikeDifflib()
    {
        Assert.Equal("--- \n+++ \n@@ -1 +1 @@\n-a+b", UnifiedDiff.Create("a", "b"));
    }

    [Fact]
    public void Create_Identical_Empty()
    {
        Assert.Equal(string.Empty, UnifiedDiff.Create("x\n", "x\n"));
    }

    [Fact]
    public void Create_FromEmpty_AllInserted()
    {
        Assert.Equal("--- \n+++ \n@@ -0,0 +1,2 @@\n+a\n+b\n", UnifiedDiff.Create(string.Empty, "a\nb\n"));
    }
}
