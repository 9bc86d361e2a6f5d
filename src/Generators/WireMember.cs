namespace Orchestrator.Generators;

/// <summary>One <c>[Key(n)]</c> property of a wire type, reduced to the code that writes and reads it (no symbols kept).</summary>
internal sealed class WireMember
{
    public WireMember(int key, string name, string write, string read)
    {
        Key = key;
        Name = name;
        Write = write;
        Read = read;
    }

    public int Key { get; }

    public string Name { get; }

    /// <summary>The statement that writes the value to <c>writer</c>, with <c>{0}</c> where the value goes.</summary>
    public string Write { get; }

    /// <summary>The expression that reads the value from <c>reader</c>.</summary>
    public string Read { get; }
}
