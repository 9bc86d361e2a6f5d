namespace Orchestrator.Shared.Output;

/// <summary>Salt's default colour table (<c>salt.utils.color.get_colors</c>): every code is prefixed with a reset.</summary>
internal sealed class AnsiColors
{
    public static readonly AnsiColors On = new(true);
    public static readonly AnsiColors Off = new(false);

    private AnsiColors(bool on)
    {
        Red = on ? "\e[0;31m" : string.Empty;
        LightRed = on ? "\e[0;1;31m" : string.Empty;
        Green = on ? "\e[0;32m" : string.Empty;
        LightGreen = on ? "\e[0;1;32m" : string.Empty;
        Yellow = on ? "\e[0;33m" : string.Empty;
        LightYellow = on ? "\e[0;1;33m" : string.Empty;
        Cyan = on ? "\e[0;36m" : string.Empty;
        EndColor = on ? "\e[0;0m" : string.Empty;
    }

    public string Red { get; }

    public string LightRed { get; }

    public string Green { get; }

    public string LightGreen { get; }

    public string Yellow { get; }

    public string LightYellow { get; }

    public string Cyan { get; }

    public string EndColor { get; }

    public static AnsiColors For(OutputOptions options) => options.Color ? On : Off;
}
