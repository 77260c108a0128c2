// The listing form's map picker, a progressive enhancement: without this
// script the form asks for latitude and longitude as typed numbers (the
// picker stays hidden); with it, clicking the world map fills both fields
// and a dot shows the point, moving as the numbers are typed. The map is an
// equirectangular projection of the whole world, so a click's position
// inside the image is the longitude and latitude in proportion.
for (const picker of document.querySelectorAll("[data-location-picker]")) {
  const lat = document.getElementById("f-location.lat");
  const lon = document.getElementById("f-location.lon");
  const frame = picker.querySelector(".map-picker-frame");
  const dot = picker.querySelector(".map-picker-dot");
  if (!lat || !lon || !frame || !dot) continue;
  const show = () => {
    const a = Number.parseFloat(lat.value);
    const b = Number.parseFloat(lon.value);
    if (!Number.isFinite(a) || !Number.isFinite(b) || Math.abs(a) > 90 || Math.abs(b) > 180) {
      dot.hidden = true;
      return;
    }
    dot.hidden = false;
    dot.style.left = `${((b + 180) / 360) * 100}%`;
    dot.style.top = `${((90 - a) / 180) * 100}%`;
  };
  frame.addEventListener("click", (event) => {
    const box = frame.getBoundingClientRect();
    const x = (event.clientX - box.left) / box.width;
    const y = (event.clientY - box.top) / box.height;
    lon.value = (x * 360 - 180).toFixed(3);
    lat.value = (90 - y * 180).toFixed(3);
    show();
  });
  lat.addEventListener("input", show);
  lon.addEventListener("input", show);
  picker.hidden = false;
  show();
}
