using System.Net;

namespace Orchestrator.Minion.Tests.Beacons;

/// <summary>Answers every request with the status and body the test sets, or fails it.</summary>
public sealed class FakeHttpHandler : HttpMessageHandler
{
    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

    public string Body { get; set; } = "";

    public bool Refuse { get; set; }

    public int Requests { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        if (Refuse)
        {
            throw new HttpRequestException("Connection refused (127.0.0.1:1)");
        }
        return Task.FromResult(new HttpResponseMessage(Status) { Content = new StringContent(Body), RequestMessage = request });
    }
}
