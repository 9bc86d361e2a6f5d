using Orchestrator.Shared.Rendering;

namespace Orchestrator.Fuzz.Tests;

public sealed class Probe
{
    [Fact]
    public void YamlKinds()
    {
        var depth = 6000;
        var texts = new[]
        {
            new string('[', depth) + new string(']', depth),
            string.Concat(Enumerable.Repeat("{a: ", depth)) + "b" + new string('}', depth),
            string.Concat(Enumerable.Range(0, 1500).Select(i => new string(' ', i) + "- \n")),
            string.Concat(Enumerable.Range(0, 1500).Select(i => new string(' ', i) + "k" + i + ":\n")) + "  v",
        };
        var k = 0;
        foreach (var t in texts)
        {
            File.AppendAllText("/tmp/probe-progress", $"kind {k++}\n");
            try { YamlLoader.Load(t, "f"); } catch (Exception e) { File.AppendAllText("/tmp/probe-progress", e.GetType().Name + ": " + e.Message + "\n"); }
        }
    }
}
