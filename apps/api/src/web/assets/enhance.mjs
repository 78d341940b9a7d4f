// Progressive enhancement only: every page works without it. Loaded as a module from our own
// origin (the content security policy allows no inline script), it does what govuk-frontend's
// template does inline: mark the page as scripted, then start the components.
import { initAll } from '/app/assets/govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();
