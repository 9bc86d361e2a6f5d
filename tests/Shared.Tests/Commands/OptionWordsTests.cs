using Orchestrator.Shared.Commands;

namespace Orchestrator.Shared.Tests.Commands;

public sealed class OptionWordsTests
{
    [Theory]
    [InlineData("--out", true)]
    [InlineData("--out=json", true)]
    [InlineData("-t", true)]
    [InlineData("-C", true)]
    [InlineData("-", false)]
    [InlineData("-5", false)]
    [InlineData("-0.5", false)]
    [InlineData("web*", false)]
    [InlineData("name=value", false)]
    [InlineData("", false)]
    public void IsOption_TellsOptionsFromValues(string word, bool expected) => Assert.Equal(expected, OptionWords.IsOption(word));
}
