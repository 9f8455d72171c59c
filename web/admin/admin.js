// The operator's dashboard: fetches the aggregated figures (no personal data) and draws them
// with Chart.js, served from web/node_modules by the web server (no CDN).
"use strict";

function bar(id, labels, values, horizontal) {
  return new window.Chart(document.getElementById(id), {
    type: "bar",
    data: { labels, datasets: [{ data: values, backgroundColor: "#000091" }] },
    options: { indexAxis: horizontal ? "y" : "x", maintainAspectRatio: false, animation: false,
               plugins: { legend: { display: false } },
               scales: { x: { beginAtZero: true, ticks: { precision: 0 } },
                         y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

function rows(tableId, cells) {
  const body = document.querySelector(`#${tableId} tbody`);
  body.replaceChildren(...cells.map((values) => {
    const tr = document.createElement("tr");
    values.forEach((value) => {
      const td = document.createElement("td");
      td.textContent = String(value);
      tr.appendChild(td);
    });
    return tr;
  }));
}

async function load() {
  const answer = await fetch("/admin/donnees.json", { credentials: "same-origin" });
  if (!answer.ok) {
    document.getElementById("period").textContent = "Chiffres indisponibles (connexion requise ?).";
    return;
  }
  const data = await answer.json();
  document.getElementById("period").textContent = `Les ${data.period_days} derniers jours.`;
  document.getElementById("kpi-conversations").textContent = data.conversations;
  document.getElementById("kpi-messages").textContent = data.messages;
  document.getElementById("kpi-unmatched").textContent =
    `${Math.round(data.unmatched_rate * 1000) / 10} %`;
  bar("per-day", data.conversations_per_day.map((d) => d[0]),
      data.conversations_per_day.map((d) => d[1]), false);
  bar("goals", data.goals.map((g) => g.goal), data.goals.map((g) => g.conversations), true);
  bar("works", data.works.map((w) => w.work), data.works.map((w) => w.conversations), true);
  rows("communes", data.communes.map((c) => [c.name, c.conversations]));
  rows("callbacks", data.callbacks.map((c) => [c.desk, c.transport, c.state, c.count]));
  const list = document.getElementById("unmatched");
  list.replaceChildren(...data.last_unmatched.map((text) => {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  }));
  document.body.dataset.loaded = "true";
}

document.addEventListener("DOMContentLoaded", load);
