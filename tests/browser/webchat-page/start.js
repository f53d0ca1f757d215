// Starts the unmodified Web Chat exactly as a town's page would: a token handed over by the
// town's server, and our Direct Line as the domain.
(function () {
  var q = new URLSearchParams(location.search);
  window.WebChat.renderWebChat({
    directLine: window.WebChat.createDirectLine({ domain: q.get("domain"), token: q.get("token") }),
    userID: "citizen-1",
    locale: "fr-FR",
    styleOptions: { hideUploadButton: true }
  }, document.getElementById("webchat"));
})();
