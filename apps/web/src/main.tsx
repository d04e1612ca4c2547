import { i18n } from "@lingui/core";
import { I18nProvider } from "@lingui/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { TrpcProvider } from "./components/TrpcProvider.tsx";
import { activateLocale, preferredLocale } from "./i18n/locales.ts";
import "./index.css";

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element.");

// English renders at once; another language waits for its catalog (one small request), so the
// first screen never flashes English text before switching.
// A catalog that cannot be fetched (offline) leaves the app in English rather than blank.
void activateLocale(preferredLocale())
  .catch(() => activateLocale("en"))
  .then(() =>
    createRoot(container).render(
      <StrictMode>
        <I18nProvider i18n={i18n}>
          <TrpcProvider>
            <App />
          </TrpcProvider>
        </I18nProvider>
      </StrictMode>,
    ),
  );
