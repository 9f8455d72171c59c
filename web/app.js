// Starts the rasa-webchat widget (web/dist/webchat.js, copied from npm by build.js) against
// Rasa's socketio channel, and wires the « Effacer ma conversation » button.
"use strict";

(function () {
  var config = window.ASSISTANT_CONFIG || {};
  var SESSION_KEY = "chat_session"; // where rasa-webchat keeps the conversation (localStorage)
  var status = document.getElementById("chat-status");

  function timeLabel(timestamp) {
    return new Date(timestamp).toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" });
  }

  var UNREACHABLE = "L'assistant ne répond pas pour le moment. Réessayez dans quelques instants, " +
    "ou appelez France Rénov' au 0 808 800 700 (service et appel gratuits).";

  if (!window.WebChat || !config.socketUrl) {
    status.textContent = UNREACHABLE;
    return;
  }

  // rasa-webchat 1.0.1 renders into its second argument (a new div at the end of <body>
  // when it is null); it has no `selector` option.
  window.WebChat.default({
    socketUrl: config.socketUrl,
    socketPath: config.socketPath || "/socket.io/",
    initPayload: "/greet",
    title: "Assistant rénovation énergétique",
    subtitle: "Aides, économies, artisans RGE",
    inputTextFieldHint: "Écrivez votre question…",
    connectingText: "Connexion à l'assistant…",
    embedded: true,
    hideWhenNotConnected: false,
    showCloseButton: false,
    showFullScreenButton: false,
    params: { storage: "local" },
    customData: { language: "fr" },
    showMessageDate: timeLabel,
    onSocketEvent: {
      connect: function () { status.hidden = true; },
      connect_error: function () {
        status.textContent = UNREACHABLE;
        status.hidden = false;
      }
    }
  }, document.getElementById("webchat"));

  function sessionId() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(SESSION_KEY) || "null");
      return stored && stored.session_id;
    } catch (error) {
      return null;
    }
  }

  var eraseButton = document.getElementById("erase");
  var eraseStatus = document.getElementById("erase-status");
  eraseButton.addEventListener("click", function () {
    if (!window.confirm("Effacer définitivement cette conversation, sur ce navigateur et sur le serveur ?")) {
      return;
    }
    var id = sessionId();
    var done = function () {
      window.localStorage.removeItem(SESSION_KEY);
      window.location.reload();
    };
    if (!id) {
      done();
      return;
    }
    eraseStatus.textContent = "Effacement…";
    fetch("/api/effacer", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session_id: id })
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      done();
    }).catch(function () {
      eraseStatus.textContent = "L'effacement a échoué : réessayez plus tard.";
    });
  });
})();
