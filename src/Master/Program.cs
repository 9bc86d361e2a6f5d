namespace Orchestrator.Master;

internal static class Program
{
    private static int Main() => 0;
}
