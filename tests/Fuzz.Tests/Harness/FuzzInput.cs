using System.Text;

namespace Orchestrator.Fuzz.Tests.Harness;

/// <summary>A generated input with a printable form, so a finding shows the (shrunk) input as a C# literal or hex.</summary>
public static class FuzzInput
{
    /// <summary>A string as a C# literal (escaped), cut at <paramref name="max"/> characters.</summary>
    public static string Literal(string text, int max = 4000)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in text.Length > max ? text[..max] : text)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' or > '~' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        sb.Append('"');
        if (text.Length > max)
        {
            sb.Append($" /* {text.Length - max} more chars */");
        }
        return sb.ToString();
    }

    /// <summary>Bytes as hex, cut at <paramref name="max"/> bytes.</summary>
    public static string Hex(byte[] bytes, int max = 2000) =>
        $"[{bytes.Length} bytes] {Convert.ToHexString(bytes, 0, Math.Min(bytes.Length, max))}{(bytes.Length > max ? "…" : string.Empty)}";
}

/// <summary>A text input (YAML, Jinja, SLS) that prints as a C# literal.</summary>
public sealed record TextInput(string Text)
{
    /// <inheritdoc />
    public override string ToString() => FuzzInput.Literal(Text);
}

/// <summary>A byte input (frames, MessagePack) that prints as hex.</summary>
public sealed record BytesInput(byte[] Bytes)
{
    /// <inheritdoc />
    public override string ToString() => FuzzInput.Hex(Bytes);
}
